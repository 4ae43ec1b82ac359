<#--
 Licensed under the Apache License, Version 2.0 (see LICENSE at the top of the repository).

 Basalt's productions for Calcite's Parser.jj template: the PostgreSQL syntax that Calcite's
 grammar lacks. config.fmpp names the entry points; everything else here is reached from them.
 The tree nodes they build live in io.basalt.planner.sql.
-->

/* ---------------------------------------------------------------------------------------------
 * Tokens. Declared before Calcite's operator tokens, so where two match the same text, ours win
 * (JavaCC prefers the earlier declaration): "->" is jsonb's field access here, never a lambda.
 */

<DEFAULT, DQID, BTID, BQID, BQHID> TOKEN :
{
    < INFIX_CAST: "::" >
|   < JSON_FIELD_TEXT: "->>" >
|   < JSON_FIELD: "-" ">" >
|   < JSON_PATH_TEXT: "#>>" >
|   < JSON_PATH: "#>" >
|   < JSON_CONTAINS: "@>" >
|   < JSON_CONTAINED: "<" "@" >  // spelled in two parts: "<" followed by "@" opens a FreeMarker directive
|   < JSON_ANY_KEY: "?|" >
|   < JSON_ALL_KEYS: "?&" >
|   < NEGATE: "!" >
|   < TILDE: "~" >
    // $1, $2, ...: lexed as Calcite's parameter marker, so that every place Calcite accepts
    // "?" (LIMIT and OFFSET too) accepts them; SqlParsing numbers them from the token text.
|   < PG_PARAMETER: "$" (["0"-"9"])+ > { matchedToken.kind = HOOK; }
}

<DEFAULT, DQID, BTID> TOKEN :
{
    // INTERVAL '1 day': one token, so that Calcite's INTERVAL '1' DAY production does not
    // claim it. An interval qualifier may follow, as in PostgreSQL.
    < PG_INTERVAL_LITERAL: "INTERVAL" (<WHITESPACE>)+ <QUOTED_STRING> >
}

/* ---------------------------------------------------------------------------------------------
 * Statements.
 */

/**
 * INSERT INTO t [AS alias] [(columns)] query | DEFAULT VALUES [ON CONFLICT ...] [RETURNING ...].
 */
SqlNode PgInsert() :
{
    final Span s;
    final SqlIdentifier table;
    SqlIdentifier alias = null;
    SqlNodeList columns = null;
    final SqlNode source;
    PgOnConflict onConflict = null;
    SqlNodeList returning = null;
}
{
    <INSERT> { s = span(); }
    <INTO> table = CompoundTableIdentifier()
    [ <AS> alias = SimpleIdentifier() ]
    [ LOOKAHEAD(2) columns = ParenthesizedSimpleIdentifierList() ]
    (
        <DEFAULT_> <VALUES> { source = PgOperators.DEFAULT_VALUES.createCall(getPos()); }
    |
        source = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
    )
    [ onConflict = PgOnConflictClause() ]
    [ returning = PgReturning() ]
    {
        return new PgInsert(s.end(this), table, alias, columns, source, onConflict, returning);
    }
}

/** ON CONFLICT [(index expressions) [WHERE ...] | ON CONSTRAINT name] DO NOTHING | DO UPDATE. */
PgOnConflict PgOnConflictClause() :
{
    final Span s;
    final List<SqlNode> target = new ArrayList<SqlNode>();
    SqlNode targetWhere = null;
    SqlIdentifier constraint = null;
    final List<SqlNode> columns = new ArrayList<SqlNode>();
    final List<SqlNode> values = new ArrayList<SqlNode>();
    SqlNode where = null;
    boolean doNothing = false;
}
{
    <ON> { s = span(); } <CONFLICT>
    [
        <LPAREN>
        AddExpression(target, ExprContext.ACCEPT_NON_QUERY)
        ( <COMMA> AddExpression(target, ExprContext.ACCEPT_NON_QUERY) )*
        <RPAREN>
        [ <WHERE> targetWhere = Expression(ExprContext.ACCEPT_NON_QUERY) ]
    |
        <ON> <CONSTRAINT> constraint = SimpleIdentifier()
    ]
    <DO>
    (
        <NOTHING> { doNothing = true; }
    |
        <UPDATE> <SET> PgSetClause(columns, values) ( <COMMA> PgSetClause(columns, values) )*
        [ <WHERE> where = Expression(ExprContext.ACCEPT_SUB_QUERY) ]
    )
    {
        final SqlParserPos pos = s.end(this);
        return new PgOnConflict(pos,
            target.isEmpty() ? null : new SqlNodeList(target, pos), targetWhere, constraint,
            doNothing ? null : new SqlNodeList(columns, pos),
            doNothing ? null : new SqlNodeList(values, pos), where);
    }
}

/** column = expression | column = DEFAULT, in UPDATE ... SET and ON CONFLICT DO UPDATE SET. */
void PgSetClause(List<SqlNode> columns, List<SqlNode> values) :
{
    final SqlIdentifier column;
    final SqlNode value;
}
{
    column = SimpleIdentifier()
    <EQ>
    (
        value = Default()
    |
        value = Expression(ExprContext.ACCEPT_SUB_QUERY)
    )
    {
        columns.add(column);
        values.add(value);
    }
}

/** RETURNING items, as in a select list. */
SqlNodeList PgReturning() :
{
    final Span s;
    final List<SqlNode> items = new ArrayList<SqlNode>();
}
{
    <RETURNING> { s = span(); }
    AddSelectItem(items) ( <COMMA> AddSelectItem(items) )*
    { return new SqlNodeList(items, s.end(this)); }
}

/** UPDATE t [[AS] alias] SET ... [FROM ...] [WHERE ...] [RETURNING ...]. */
SqlNode PgUpdate() :
{
    final Span s;
    final SqlIdentifier table;
    SqlIdentifier alias = null;
    final List<SqlNode> columns = new ArrayList<SqlNode>();
    final List<SqlNode> values = new ArrayList<SqlNode>();
    SqlNode from = null;
    SqlNode where = null;
    SqlNodeList returning = null;
}
{
    <UPDATE> { s = span(); }
    table = CompoundTableIdentifier()
    [ [ <AS> ] alias = SimpleIdentifier() ]
    <SET> PgSetClause(columns, values) ( <COMMA> PgSetClause(columns, values) )*
    [ <FROM> from = FromClause() ]
    [ where = Where() ]
    [ returning = PgReturning() ]
    {
        final SqlParserPos pos = s.end(this);
        return new PgUpdate(pos, table, new SqlNodeList(columns, pos),
            new SqlNodeList(values, pos), where, alias, from, returning);
    }
}

/** DELETE FROM t [[AS] alias] [USING ...] [WHERE ...] [RETURNING ...]. */
SqlNode PgDelete() :
{
    final Span s;
    final SqlIdentifier table;
    SqlIdentifier alias = null;
    SqlNode using = null;
    SqlNode where = null;
    SqlNodeList returning = null;
}
{
    <DELETE> { s = span(); }
    <FROM> table = CompoundTableIdentifier()
    [ [ <AS> ] alias = SimpleIdentifier() ]
    [ <USING> using = FromClause() ]
    [ where = Where() ]
    [ returning = PgReturning() ]
    {
        return new PgDelete(s.end(this), table, where, alias, using, returning);
    }
}

/**
 * A query with optional locking clauses, or WITH followed by INSERT, UPDATE or DELETE.
 * Queries come out as Calcite's own statement rule builds them (WITH becomes a SqlWith under
 * any ORDER BY / LIMIT), wrapped in a PgLockedQuery when locking clauses follow.
 */
SqlNode PgQueryStatement() :
{
    final SqlNodeList withList;
    final SqlNode dml;
    SqlNode query;
    final List<Object> list = new ArrayList<Object>();
    final List<SqlNode> locking = new ArrayList<SqlNode>();
}
{
    (
        LOOKAHEAD(1)
        withList = PgWithList()
        (
            ( dml = PgInsert() | dml = PgUpdate() | dml = PgDelete() ) {
                return new SqlWith(Span.of(withList, dml).pos(), withList, dml);
            }
        |
            query = LeafQueryOrExpr(ExprContext.ACCEPT_QUERY) { list.add(query); }
            ( AddSetOpQuery(list, ExprContext.ACCEPT_QUERY) )*
            {
                query = addWith(withList, SqlParserUtil.toTree(list));
            }
            query = OrderByLimitOpt(query)
        )
    |
        query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
    )
    ( PgLockingClause(locking) )*
    {
        if (locking.isEmpty()) {
            return query;
        }
        return new PgLockedQuery(Span.of(query).addAll(locking).pos(), query,
            new SqlNodeList(locking, Span.of(locking).pos()));
    }
}

/** FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE [OF tables] [NOWAIT | SKIP LOCKED]. */
void PgLockingClause(List<SqlNode> list) :
{
    final Span s;
    final PgLockingClause.Strength strength;
    final List<SqlNode> tables = new ArrayList<SqlNode>();
    PgLockingClause.WaitPolicy waitPolicy = PgLockingClause.WaitPolicy.WAIT;
    SqlIdentifier table;
}
{
    <FOR> { s = span(); }
    (
        <UPDATE> { strength = PgLockingClause.Strength.UPDATE; }
    |   <NO> <KEY> <UPDATE> { strength = PgLockingClause.Strength.NO_KEY_UPDATE; }
    |   <SHARE> { strength = PgLockingClause.Strength.SHARE; }
    |   <KEY> <SHARE> { strength = PgLockingClause.Strength.KEY_SHARE; }
    )
    [
        <OF> table = CompoundIdentifier() { tables.add(table); }
        ( <COMMA> table = CompoundIdentifier() { tables.add(table); } )*
    ]
    [
        <NOWAIT> { waitPolicy = PgLockingClause.WaitPolicy.NOWAIT; }
    |   <SKIP_> <LOCKED> { waitPolicy = PgLockingClause.WaitPolicy.SKIP_LOCKED; }
    ]
    {
        final SqlParserPos pos = s.end(this);
        list.add(new PgLockingClause(pos, strength, new SqlNodeList(tables, pos), waitPolicy));
    }
}

/* ---------------------------------------------------------------------------------------------
 * Expressions.
 */

/**
 * SELECT DISTINCT ON (keys) first-item: parsed where the first select item starts, into
 * PgOperators.DISTINCT_ON(keys, item). SqlParsing rejects it anywhere else.
 */
SqlNode PgDistinctOnItem() :
{
    final Span s;
    final Span keySpan;
    final List<SqlNode> keys = new ArrayList<SqlNode>();
    final SqlNode item;
}
{
    <ON> { s = span(); }
    <LPAREN> { keySpan = span(); }
    AddExpression(keys, ExprContext.ACCEPT_SUB_QUERY)
    ( <COMMA> AddExpression(keys, ExprContext.ACCEPT_SUB_QUERY) )*
    <RPAREN>
    (
        <STAR> { item = SqlIdentifier.star(getPos()); }
    |
        item = Expression(ExprContext.ACCEPT_SUB_QUERY)
    )
    {
        return PgOperators.DISTINCT_ON.createCall(s.end(this),
            new SqlNodeList(keys, keySpan.end(this)), item);
    }
}

/** type 'string', such as jsonb '{}' or uuid '...': a cast of the string, as in PostgreSQL. */
SqlNode PgTypedLiteral() :
{
    final SqlIdentifier typeName;
    final SqlNode value;
}
{
    typeName = SimpleIdentifier()
    <QUOTED_STRING> {
        value = SqlLiteral.createCharString(SqlParserUtil.parseString(token.image), getPos());
        final SqlDataTypeSpec type = new SqlDataTypeSpec(
            new SqlUserDefinedTypeNameSpec(typeName, typeName.getParserPosition()),
            typeName.getParserPosition());
        return SqlLibraryOperators.INFIX_CAST.createCall(
            Span.of(typeName, value).pos(), value, type);
    }
}

/** interval '1 day', optionally followed by an interval qualifier (interval '1' day). */
SqlNode PgIntervalLiteral() :
{
    final Span s;
    final String text;
    SqlIntervalQualifier qualifier = null;
}
{
    <PG_INTERVAL_LITERAL> {
        s = span();
        text = SqlParserUtil.parseString(token.image.substring(token.image.indexOf('\'')));
    }
    [ LOOKAHEAD(1) qualifier = IntervalQualifier() ]
    {
        if (qualifier != null) {
            return SqlParserUtil.parseIntervalLiteral(s.end(this), 1, text, qualifier);
        }
        return PgOperators.INTERVAL.createCall(s.end(this),
            SqlLiteral.createCharString(text, s.pos()));
    }
}

/**
 * A type name with PostgreSQL's array suffix: text[], int[3], numeric(10,2)[][]. Without a
 * suffix it builds exactly what Calcite's TypeName would.
 */
SqlTypeNameSpec PgArrayTypeName() :
{
    final Span s = Span.of();
    SqlTypeNameSpec type;
    final SqlIdentifier name;
}
{
    (
        LOOKAHEAD(2)
        type = SqlTypeName(s)
    |
        name = CompoundIdentifier() {
            type = new SqlUserDefinedTypeNameSpec(name, s.end(this));
        }
    )
    (
        <LBRACKET> [ <UNSIGNED_INTEGER_LITERAL> ] <RBRACKET> {
            type = new SqlCollectionTypeNameSpec(type, SqlTypeName.ARRAY, getPos());
        }
    )*
    { return type; }
}

/**
 * expression :: type. Binds tighter than any other operator, as in PostgreSQL: it applies to
 * the operand just parsed, not to the expression so far.
 */
void PgInfixCast(List<Object> list, ExprContext exprContext, Span s) :
{
    final SqlDataTypeSpec type;
}
{
    <INFIX_CAST> {
        checkNonQueryExpression(exprContext);
    }
    (
        <INTERVAL> {
            type = new SqlDataTypeSpec(new SqlUserDefinedTypeNameSpec(
                new SqlIdentifier("interval", getPos()), getPos()), getPos());
        }
    |
        type = DataType()
    )
    {
        final SqlNode operand = pgTakeLastOperand(list);
        list.add(SqlLibraryOperators.INFIX_CAST.createCall(
            Span.of(operand).end(this), operand, type));
    }
}

/**
 * Removes and returns the operand a postfix construct (:: type, COLLATE) applies to: the last
 * one parsed, or, after a postfix operator ("x IS NULL :: text"), everything so far.
 */
JAVACODE SqlNode pgTakeLastOperand(List<Object> list) {
    final Object last = list.get(list.size() - 1);
    if (last instanceof SqlNode) {
        list.remove(list.size() - 1);
        return (SqlNode) last;
    }
    final SqlNode all = SqlParserUtil.toTree(list);
    list.clear();
    return all;
}

/** jsonb operators, || and ^, with PostgreSQL's meaning and precedence (see PgOperators). */
void PgOtherOperator(List<Object> list, ExprContext exprContext, Span s) :
{
    final SqlOperator op;
}
{
    (
        <JSON_FIELD> { op = PgOperators.JSON_FIELD; }
    |   <JSON_FIELD_TEXT> { op = PgOperators.JSON_FIELD_TEXT; }
    |   <JSON_PATH> { op = PgOperators.JSON_PATH; }
    |   <JSON_PATH_TEXT> { op = PgOperators.JSON_PATH_TEXT; }
    |   <JSON_CONTAINS> { op = PgOperators.CONTAINS; }
    |   <JSON_CONTAINED> { op = PgOperators.CONTAINED_BY; }
    |   <HOOK> {
            if (!token.image.equals("?")) {
                throw new ParseException("Encountered \"" + token.image + "\" at line "
                    + token.beginLine + ", column " + token.beginColumn + ".");
            }
            op = PgOperators.KEY_EXISTS;
        }
    |   <JSON_ANY_KEY> { op = PgOperators.ANY_KEY_EXISTS; }
    |   <JSON_ALL_KEYS> { op = PgOperators.ALL_KEYS_EXIST; }
    |   <CONCAT> { op = PgOperators.CONCAT; }
    |   <CARET> { op = PgOperators.POWER; }
    )
    {
        checkNonQueryExpression(exprContext);
        list.add(new SqlParserUtil.ToTreeListItem(op, getPos()));
    }
    AddExpression2b(list, ExprContext.ACCEPT_SUB_QUERY)
}

/** expression COLLATE "collation": like a cast, it applies to the operand just parsed. */
void PgCollate(List<Object> list, ExprContext exprContext, Span s) :
{
    final SqlIdentifier collation;
}
{
    <COLLATE> {
        checkNonQueryExpression(exprContext);
    }
    collation = CompoundIdentifier() {
        final SqlNode operand = pgTakeLastOperand(list);
        list.add(PgOperators.COLLATE.createCall(Span.of(operand).end(this), operand, collation));
    }
}

/** unnest(array, ...) as a function in expressions (Calcite reserves UNNEST for FROM). */
SqlNode PgUnnestCall() :
{
    final Span s;
    final List<SqlNode> args = new ArrayList<SqlNode>();
}
{
    <UNNEST> { s = span(); }
    <LPAREN>
    AddExpression(args, ExprContext.ACCEPT_SUB_QUERY)
    ( <COMMA> AddExpression(args, ExprContext.ACCEPT_SUB_QUERY) )*
    <RPAREN> {
        return createCall(new SqlIdentifier("unnest", s.pos()), s.end(this),
            SqlFunctionCategory.USER_DEFINED_FUNCTION, null, args);
    }
}

/** timestamp AT TIME ZONE zone. */
void PgAtTimeZone(List<Object> list, ExprContext exprContext, Span s) :
{
}
{
    <AT> <TIME> <ZONE> {
        checkNonQueryExpression(exprContext);
        list.add(new SqlParserUtil.ToTreeListItem(PgOperators.AT_TIME_ZONE, getPos()));
    }
    AddExpression2b(list, ExprContext.ACCEPT_SUB_QUERY)
}

/**
 * agg([ALL | DISTINCT] args ORDER BY items) [FILTER (WHERE ...)] [OVER ...] for any aggregate
 * (jsonb_agg, json_object_agg, xmlagg, user aggregates, ...). Calcite reads ORDER BY only inside
 * its own ARRAY_AGG / STRING_AGG / GROUP_CONCAT, which keep their own rule. As there, the
 * ORDER BY list is the call's last operand; PgSqlDialect prints it back inside the parentheses.
 * Taken only when an ORDER BY stands directly inside the call's parentheses (see
 * PgLookahead.orderedAggregate); the second alternative never matches.
 */
SqlNode PgOrderedAggregateCall() :
{
    SqlIdentifier name = null;
    Span s = null;
    final List<SqlNode> args = new ArrayList<SqlNode>();
    SqlLiteral quantifier = null;
    SqlNodeList orderBy = null;
    SqlCall call;
    Span filterSpan;
    SqlNode filter;
    Span overSpan;
    SqlNode over;
}
{
    (
        LOOKAHEAD({ PgLookahead.orderedAggregate(this) })
        name = FunctionName() { s = span(); }
        <LPAREN>
        [ quantifier = AllOrDistinct() ]
        AddExpression(args, ExprContext.ACCEPT_SUB_QUERY)
        ( <COMMA> AddExpression(args, ExprContext.ACCEPT_SUB_QUERY) )*
        orderBy = OrderBy(true)
        <RPAREN>
    |
        LOOKAHEAD({ false }) <LPAREN>
    )
    {
        args.add(orderBy);
        call = createCall(name, s.end(this), SqlFunctionCategory.USER_DEFINED_FUNCTION,
            quantifier, args);
    }
    [
        <FILTER> { filterSpan = span(); }
        <LPAREN> <WHERE> filter = Expression(ExprContext.ACCEPT_SUB_QUERY) <RPAREN> {
            call = SqlStdOperatorTable.FILTER.createCall(filterSpan.end(this), call, filter);
        }
    ]
    [
        <OVER> { overSpan = span(); }
        ( over = SimpleIdentifier() | over = WindowSpecification() ) {
            call = SqlStdOperatorTable.OVER.createCall(overSpan.end(over), call, over);
        }
    ]
    {
        return call;
    }
}

/** WITH [RECURSIVE] item, ...: Calcite's WITH list, with PostgreSQL's [NOT] MATERIALIZED. */
SqlNodeList PgWithList() :
{
    final Span s;
    final List<SqlWithItem> list = new ArrayList<SqlWithItem>();
    boolean recursive = false;
}
{
    <WITH> [ <RECURSIVE> { recursive = true; } ] { s = span(); }
    PgAddWithItem(list, SqlLiteral.createBoolean(recursive, getPos()))
    ( <COMMA> PgAddWithItem(list, SqlLiteral.createBoolean(recursive, getPos())) )*
    { return new SqlNodeList(list, s.end(this)); }
}

/** name [(columns)] AS [[NOT] MATERIALIZED] (query). */
void PgAddWithItem(List<SqlWithItem> list, SqlLiteral recursive) :
{
    final SqlIdentifier id;
    final SqlNodeList columnList;
    final SqlNode definition;
    Boolean materialized = null;
}
{
    id = SimpleIdentifier()
    ( columnList = ParenthesizedSimpleIdentifierList() | { columnList = null; } )
    <AS>
    [
        <MATERIALIZED> { materialized = Boolean.TRUE; }
    |
        <NOT> <MATERIALIZED> { materialized = Boolean.FALSE; }
    ]
    definition = ParenthesizedExpression(ExprContext.ACCEPT_QUERY)
    {
        list.add(materialized == null
            ? new SqlWithItem(id.getParserPosition(), id, columnList, definition, recursive)
            : new PgWithItem(id.getParserPosition(), id, columnList, definition, recursive,
                materialized));
    }
}
