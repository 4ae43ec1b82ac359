// node-postgres against Basalt; run by NodePgIT. Prints OK when every check passes.
'use strict';
const assert = require('assert');
const { Client } = require('pg');

async function main() {
  const client = new Client({
    host: process.env.PGHOST || '127.0.0.1',
    port: Number(process.env.PGPORT),
    user: process.env.PGUSER || 'postgres',
    password: process.env.PGPASSWORD,
    database: process.env.PGDATABASE || 'postgres',
    ssl: false,
  });
  await client.connect();
  const failures = [];
  async function check(name, fn) {
    try {
      await fn();
    } catch (e) {
      failures.push(name + ': ' + (e && e.message ? e.message : e) + (e && e.code ? ' (code=' + e.code + ')' : ''));
      try { await client.query('ROLLBACK'); } catch (ignored) { /* not in a transaction */ }
    }
  }
  let r;
  try {
    await check('parameterized query', async () => {
      // Parameterized query (extended protocol, unnamed statement).
      r = await client.query('SELECT $1::int + 1 AS n, upper($2::text) AS s', [41, "it's"]);
      assert.strictEqual(r.rows[0].n, 42);
      assert.strictEqual(r.rows[0].s, "IT'S");
    });
    await check('named prepared statement', async () => {
      // Named prepared statement, executed twice (the second time reuses it).
      const q = { name: 'q1', text: 'SELECT $1::int * 2 AS d, $2::text AS t', values: [5, 'a'] };
      r = await client.query(q);
      assert.deepStrictEqual(r.rows[0], { d: 10, t: 'a' });
      r = await client.query({ name: 'q1', text: q.text, values: [7, null] });
      assert.deepStrictEqual(r.rows[0], { d: 14, t: null });
    });
    await check('multi-row select', async () => {
      // Multi-row select.
      r = await client.query('SELECT g, g::text || \'x\' AS s FROM generate_series(1, 1000) g');
      assert.strictEqual(r.rowCount, 1000);
      assert.strictEqual(r.rows[999].s, '1000x');
      assert.strictEqual(r.fields.map((f) => f.name).join(','), 'g,s');
    });
    await check('transaction rollback', async () => {
      // Transaction with rollback.
      await client.query('DROP TABLE IF EXISTS node_tx_t');
      await client.query('CREATE TABLE node_tx_t (id int PRIMARY KEY, v text)');
      await client.query('BEGIN');
      await client.query('INSERT INTO node_tx_t VALUES ($1, $2)', [1, 'one']);
      r = await client.query('SELECT count(*)::int AS c FROM node_tx_t');
      assert.strictEqual(r.rows[0].c, 1);
      await client.query('ROLLBACK');
      r = await client.query('SELECT count(*)::int AS c FROM node_tx_t');
      assert.strictEqual(r.rows[0].c, 0);
    });
    await check('errors', async () => {
      // Errors carry their SQLSTATE; the connection stays usable.
      await assert.rejects(client.query('SELECT 1/0'), (e) => e.code === '22012');
      await client.query('BEGIN');
      await assert.rejects(client.query('SELECT nosuch FROM node_tx_t'), (e) => e.code === '42703');
      await assert.rejects(client.query('SELECT 1'), (e) => e.code === '25P02');
      await client.query('ROLLBACK');
      r = await client.query('SELECT 1 AS one');
      assert.strictEqual(r.rows[0].one, 1);
    });
    await check('error with parameter', async () => {
      await assert.rejects(client.query('SELECT $1::int', ['notanint']), (e) => e.code === '22P02');
    });
    await client.query('DROP TABLE IF EXISTS node_tx_t');
  } finally {
    await client.end();
  }
  if (failures.length > 0) {
    console.error('FAILED checks:\n' + failures.join('\n'));
    process.exit(1);
  }
  console.log('OK');
}

main().catch((e) => {
  console.error('FAILED:', e && e.stack ? e.stack : e, e && e.code ? 'code=' + e.code : '');
  process.exit(1);
});
