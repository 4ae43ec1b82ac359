package io.basalt.wire.server;

import io.basalt.wire.auth.AuthMethod;
import io.basalt.wire.auth.AuthStep;
import io.basalt.wire.auth.PasswordExchange;
import io.basalt.wire.auth.PasswordExchanges;
import io.basalt.wire.codec.ClientEncoding;
import io.basalt.wire.codec.FrontendDecoder;
import io.basalt.wire.codec.Protocol;
import io.basalt.wire.codec.Protocol.SqlState;
import io.basalt.wire.codec.ProtocolViolation;
import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.message.FrontendMessage;
import io.basalt.wire.message.FrontendMessage.Bind;
import io.basalt.wire.message.FrontendMessage.CancelRequest;
import io.basalt.wire.message.FrontendMessage.Close;
import io.basalt.wire.message.FrontendMessage.CopyData;
import io.basalt.wire.message.FrontendMessage.CopyDone;
import io.basalt.wire.message.FrontendMessage.CopyFail;
import io.basalt.wire.message.FrontendMessage.Describe;
import io.basalt.wire.message.FrontendMessage.Execute;
import io.basalt.wire.message.FrontendMessage.Flush;
import io.basalt.wire.message.FrontendMessage.FunctionCall;
import io.basalt.wire.message.FrontendMessage.GssEncRequest;
import io.basalt.wire.message.FrontendMessage.Parse;
import io.basalt.wire.message.FrontendMessage.PasswordData;
import io.basalt.wire.message.FrontendMessage.Query;
import io.basalt.wire.message.FrontendMessage.SslRequest;
import io.basalt.wire.message.FrontendMessage.Startup;
import io.basalt.wire.message.FrontendMessage.Sync;
import io.basalt.wire.message.FrontendMessage.Terminate;
import io.basalt.wire.spi.ClientInfo;
import io.basalt.wire.spi.ClientSession;
import io.basalt.wire.spi.SessionFactory;
import io.basalt.wire.spi.WireError;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, from its first byte to its close. Runs on the connection's event loop
 * and never blocks it: password look-ups and session opening are futures whose results come back
 * to the same event loop; messages that arrive meanwhile wait in order (and reading pauses).
 *
 * <h2>Startup, encryption, authentication</h2>
 * <pre>
 *   client                                   server
 *   SSLRequest ───────────────────────────▶  'S' + TLS handshake   (TLS configured)
 *                                            'N'                   (otherwise)
 *   GSSENCRequest ────────────────────────▶  'N'
 *   CancelRequest(pid, key) ──────────────▶  SessionFactory.cancel, close, no answer
 *   StartupMessage(user, database, ...) ──▶  [NegotiateProtocolVersion (3.x, x > 0, or _pq_.*)]
 *                                            pg_hba rule by (host/hostssl, db, user, address)
 *      trust                                 ─┐
 *      reject / no rule                      ErrorResponse FATAL 28000, close
 *      password   ◀── AuthenticationCleartextPassword ── PasswordMessage ──▶
 *      md5        ◀── AuthenticationMD5Password(salt) ── PasswordMessage("md5...") ──▶
 *      scram      ◀── AuthenticationSASL ── SASLInitialResponse ──▶
 *                 ◀── AuthenticationSASLContinue ── SASLResponse ──▶
 *                 ◀── AuthenticationSASLFinal                   │
 *        wrong password / unknown role: FATAL 28P01, close      │
 *                                            SessionFactory.open ◀┘
 *                                            AuthenticationOk, ParameterStatus*, BackendKeyData,
 *                                            ReadyForQuery('I')    (open failed: FATAL, close)
 * </pre>
 *
 * <h2>After startup (the session's part: this handler only forwards, in order)</h2>
 * <pre>
 *   simple:    Query ──▶ [RowDescription DataRow* | CopyIn/OutResponse ...] CommandComplete
 *                        (per statement) | EmptyQueryResponse | ErrorResponse; ReadyForQuery
 *   extended:  Parse Bind Describe Execute ... Sync ──▶ ParseComplete BindComplete
 *                        RowDescription|NoData DataRow* CommandComplete|PortalSuspended ...
 *                        ReadyForQuery; after an ErrorResponse the session skips to Sync and
 *                        answers ReadyForQuery 'E' in a failed transaction, else 'I'
 *   copy in:   CopyInResponse ◀── CopyData* CopyDone|CopyFail ──▶ CommandComplete|ErrorResponse
 *   copy out:  CopyOutResponse CopyData* CopyDone CommandComplete
 *   end:       Terminate (delivered to the session), close; ClientSession.closed() exactly once
 * </pre>
 *
 * <p>A {@link ProtocolViolation} from the decoder or an exchange ends only this connection, with
 * FATAL 08P01 (or the violation's own SQLSTATE).
 */
public final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

  private enum Phase {
    /** Before StartupMessage: encryption requests, cancel requests. */
    STARTUP,
    /** A password exchange is running (or its stored password is being looked up). */
    AUTHENTICATING,
    /** Authenticated; the coordinator is opening the session. */
    OPENING,
    /** Messages go to the session. */
    READY,
    CLOSED
  }

  private final WireConfig config;
  private final SessionFactory sessions;
  private final Optional<SslContext> sslContext;
  private final PasswordExchanges exchanges;
  private final ClientEncoding encoding;
  private final ClientWatch watch;
  private final ArrayDeque<FrontendMessage> pending = new ArrayDeque<>();

  private ChannelHandlerContext ctx;
  private Phase phase = Phase.STARTUP;
  private boolean suspended;
  private boolean sslRequested;
  private boolean gssRequested;
  private Startup startup;
  private ClientInfo client;
  private PasswordExchange exchange;
  private ChannelBackendOutput output;
  private ClientSession session;
  /** Set when the session reads the client's socket itself; Netty reads no more. */
  private DirectClientReader reader;
  private boolean sessionClosed;
  private ScheduledFuture<?> authenticationTimeout;

  public ConnectionHandler(WireConfig config, SessionFactory sessions,
      Optional<SslContext> sslContext, PasswordExchanges exchanges, ClientEncoding encoding,
      ClientWatch watch) {
    this.config = config;
    this.sessions = sessions;
    this.sslContext = sslContext;
    this.exchanges = exchanges;
    this.encoding = encoding;
    this.watch = watch;
  }

  // ---- Netty events ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long timeout = config.authenticationTimeout().toMillis();
    if (timeout > 0) {
      authenticationTimeout = ctx.executor().schedule(this::authenticationTimedOut, timeout,
          TimeUnit.MILLISECONDS);
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FrontendMessage message)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (phase == Phase.CLOSED) {
      return;
    }
    if (suspended) {
      pending.add(message);
    } else {
      process(message);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (output != null) {
      output.writabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    phase = Phase.CLOSED;
    pending.clear();
    cancelAuthenticationTimeout();
    if (output != null) {
      output.channelClosed();
    }
    if (reader != null) {
      reader.channelClosed();
    }
    closeSession();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable error = cause;
    if (error instanceof DecoderException && !(error instanceof ProtocolViolation)
        && error.getCause() != null) {
      error = error.getCause();
    }
    if (error instanceof ProtocolViolation violation) {
      LOG.debug("protocol violation from {}: {}", ctx.channel().remoteAddress(),
          violation.getMessage());
      fatal(violation.toErrorResponse());
    } else if (error instanceof SSLException || error instanceof IOException) {
      LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), error.toString());
      closeQuietly();
    } else {
      LOG.warn("unexpected error on connection from {}", ctx.channel().remoteAddress(), error);
      fatal(FatalErrors.fatal(SqlState.INTERNAL_ERROR, "internal error in the wire protocol"));
    }
  }

  // ---- dispatch ----

  private void process(FrontendMessage message) {
    try {
      dispatch(message);
    } catch (ProtocolViolation e) {
      exceptionCaught(ctx, e);
    } catch (RuntimeException e) {
      LOG.warn("error handling {} from {}", message.getClass().getSimpleName(),
          ctx.channel().remoteAddress(), e);
      fatal(FatalErrors.fatal(SqlState.INTERNAL_ERROR, "internal error: " + e));
    }
  }

  private void dispatch(FrontendMessage message) {
    switch (message) {
      case SslRequest m -> onSslRequest();
      case GssEncRequest m -> onGssEncRequest();
      case CancelRequest m -> onCancelRequest(m);
      case Startup m -> onStartup(m);
      case PasswordData m -> onPasswordData(m);
      case Query m -> toSession(m);
      case Parse m -> toSession(m);
      case Bind m -> toSession(m);
      case Describe m -> toSession(m);
      case Execute m -> toSession(m);
      case Close m -> toSession(m);
      case Sync m -> toSession(m);
      case Flush m -> toSession(m);
      case FunctionCall m -> toSession(m);
      case CopyData m -> toSession(m);
      case CopyDone m -> toSession(m);
      case CopyFail m -> toSession(m);
      case Terminate m -> onTerminate(m);
    }
  }

  // ---- startup packets ----

  private void onSslRequest() {
    if (phase != Phase.STARTUP || sslRequested) {
      // PostgreSQL does not negotiate twice and reads the code as a protocol version
      throw unsupportedProtocol(Protocol.RequestCode.SSL);
    }
    sslRequested = true;
    if (sslContext.isEmpty()) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {Protocol.EncryptionAnswer.REFUSE}));
      return;
    }
    // 'S' must leave in plaintext, so it is written before the TLS handler joins the pipeline
    ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {Protocol.EncryptionAnswer.ACCEPT}));
    ctx.pipeline().addFirst("tls", sslContext.get().newHandler(ctx.alloc()));
  }

  private void onGssEncRequest() {
    if (phase != Phase.STARTUP || gssRequested) {
      throw unsupportedProtocol(Protocol.RequestCode.GSSENC);
    }
    gssRequested = true;
    ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {Protocol.EncryptionAnswer.REFUSE}));
  }

  private void onCancelRequest(CancelRequest request) {
    if (phase != Phase.STARTUP) {
      throw unsupportedProtocol(Protocol.RequestCode.CANCEL);
    }
    try {
      sessions.cancel(request.processId(), request.secretKey());
    } catch (RuntimeException e) {
      LOG.warn("cancel request failed", e);
    }
    closeQuietly();
  }

  private static ProtocolViolation unsupportedProtocol(int code) {
    return new ProtocolViolation(SqlState.FEATURE_NOT_SUPPORTED, "unsupported frontend protocol "
        + (code >>> 16) + "." + (code & 0xFFFF) + ": server supports 3.0 to 3.0", Optional.empty());
  }

  private void onStartup(Startup received) {
    phase = Phase.AUTHENTICATING;
    if (!(ctx.channel().remoteAddress() instanceof InetSocketAddress remote)) {
      throw new IllegalStateException("not a TCP connection: " + ctx.channel().remoteAddress());
    }
    client = new ClientInfo(remote, ctx.pipeline().get(SslHandler.class) != null);
    StartupDecision decision = StartupDecision.decide(received, client, config.hba());
    startup = decision.startup();
    decision.negotiation().ifPresent(ctx::write);
    switch (decision.outcome()) {
      case StartupDecision.Admit admit -> openSession();
      case StartupDecision.Refuse refuse -> fatal(refuse.error());
      case StartupDecision.Authenticate auth -> awaitOnEventLoop(lookUp(startup.user()),
          (stored, error) -> beginExchange(auth.method(), stored, error));
    }
  }

  private CompletableFuture<Optional<String>> lookUp(String user) {
    try {
      return sessions.storedPassword(user);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void beginExchange(AuthMethod method, Optional<String> stored, Throwable error) {
    if (error != null) {
      failFromCoordinator("could not look up the password of role " + startup.user(), error);
      return;
    }
    exchange = exchanges.begin(method, startup.user(), stored == null ? Optional.empty() : stored);
    ctx.writeAndFlush(exchange.start());
  }

  // ---- typed messages ----

  private void onPasswordData(PasswordData data) {
    if (phase != Phase.AUTHENTICATING || exchange == null) {
      throw passwordOutsideExchange();
    }
    switch (exchange.next(data.payload())) {
      case AuthStep.Challenge c -> ctx.writeAndFlush(c.message());
      case AuthStep.Success s -> {
        exchange = null;
        s.finalMessage().ifPresent(ctx::write);
        openSession();
      }
      case AuthStep.Failure f -> fatal(FatalErrors.fatal(SqlState.INVALID_PASSWORD,
          "password authentication failed for user \"" + startup.user() + "\""));
    }
  }

  /** Outside a password exchange 'p' is no message at all, as in PostgreSQL. */
  static ProtocolViolation passwordOutsideExchange() {
    return new ProtocolViolation("invalid frontend message type " + Protocol.Frontend.PASSWORD);
  }

  private void toSession(FrontendMessage message) {
    if (phase != Phase.READY) {
      throw new ProtocolViolation("expected password response, got message type "
          + Protocol.Frontend.tagOf(message));
    }
    session.handle(message);
  }

  private void onTerminate(Terminate terminate) {
    if (phase == Phase.READY) {
      session.handle(terminate);
    }
    closeQuietly();
  }

  // ---- session ----

  private void openSession() {
    phase = Phase.OPENING;
    // Under TLS every byte must pass the TLS handler; otherwise the session may write directly.
    output = new ChannelBackendOutput(ctx.channel(), encoding,
        ctx.channel() instanceof DirectWriteServerChannel.Child child
            && ctx.pipeline().get(SslHandler.class) == null ? child.socket() : null);
    CompletableFuture<ClientSession> opening;
    try {
      opening = sessions.open(startup, client, output);
    } catch (RuntimeException e) {
      opening = CompletableFuture.failedFuture(e);
    }
    awaitOnEventLoop(opening, this::sessionOpened);
  }

  private void sessionOpened(ClientSession opened, Throwable error) {
    if (error != null) {
      failFromCoordinator("could not open a session", error);
      return;
    }
    session = opened;
    cancelAuthenticationTimeout();
    ctx.write(new BackendMessage.AuthenticationOk());
    opened.initialParameters().forEach((name, value) ->
        ctx.write(new BackendMessage.ParameterStatus(name, value)));
    ctx.write(new BackendMessage.BackendKeyData(opened.processId(), opened.secretKey()));
    ctx.writeAndFlush(new BackendMessage.ReadyForQuery('I'));
    phase = Phase.READY;
    // Only now: the session's answers must come after ReadyForQuery, which Netty now holds or
    // has written (the session's output writes behind whatever Netty holds).
    handOverReading(opened);
  }

  /**
   * Lets a session that asks for it read the client's socket itself, plain TCP only: the
   * messages that came during startup go first ({@link DirectClientReader}).
   */
  private void handOverReading(ClientSession opened) {
    if (!(ctx.channel() instanceof DirectWriteServerChannel.Child child)
        || ctx.pipeline().get(SslHandler.class) != null || !opened.readsItself()) {
      return;
    }
    FrontendDecoder decoder = ctx.pipeline().get(FrontendDecoder.class);
    reader = DirectClientReader.takeOver(child, decoder, output, watch, pending);
    pending.clear();
    opened.readFrom(reader);
  }

  private void closeSession() {
    if (session != null && !sessionClosed) {
      sessionClosed = true;
      try {
        session.closed();
      } catch (RuntimeException e) {
        LOG.warn("session close failed", e);
      }
    }
  }

  // ---- waiting for the coordinator without blocking the event loop ----

  /**
   * Pauses reading, runs {@code then} on this connection's event loop when the future completes,
   * then replays the messages that arrived meanwhile. If the connection closed in between, a
   * session that was opened anyway is closed at once.
   */
  private <T> void awaitOnEventLoop(CompletableFuture<T> future, BiConsumer<T, Throwable> then) {
    suspended = true;
    ctx.channel().config().setAutoRead(false);
    future.whenComplete((value, error) -> {
      try {
        ctx.executor().execute(() -> afterWait(value, error, then));
      } catch (RejectedExecutionException e) {
        // the server is shutting down; a session opened this late is closed right here
        if (value instanceof ClientSession late) {
          late.closed();
        }
      }
    });
  }

  private <T> void afterWait(T value, Throwable error, BiConsumer<T, Throwable> then) {
    if (phase == Phase.CLOSED) {
      if (value instanceof ClientSession orphan) {
        session = orphan;
        closeSession();
      }
      return;
    }
    suspended = false;
    try {
      then.accept(value, error instanceof CompletionException ? error.getCause() : error);
    } catch (ProtocolViolation e) {
      exceptionCaught(ctx, e);
    } catch (RuntimeException e) {
      LOG.warn("error after waiting for the coordinator", e);
      fatal(FatalErrors.fatal(SqlState.INTERNAL_ERROR, "internal error: " + e));
    }
    resume();
  }


  private void resume() {
    while (!suspended && phase != Phase.CLOSED && !pending.isEmpty()) {
      process(pending.poll());
    }
    if (!suspended && phase != Phase.CLOSED && reader == null) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void failFromCoordinator(String what, Throwable error) {
    if (error instanceof WireError wireError) {
      fatal(new BackendMessage.ErrorResponse(wireError.fields()));
    } else {
      LOG.warn("{} for {}", what, ctx.channel().remoteAddress(), error);
      fatal(FatalErrors.fatal(SqlState.INTERNAL_ERROR, what + ": " + error.getMessage()));
    }
  }

  // ---- ending ----

  private void fatal(BackendMessage.ErrorResponse error) {
    if (phase == Phase.CLOSED) {
      return;
    }
    phase = Phase.CLOSED;
    pending.clear();
    cancelAuthenticationTimeout();
    if (output != null) {
      output.eventLoopTakesOver();
    }
    ctx.writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
  }

  private void closeQuietly() {
    phase = Phase.CLOSED;
    pending.clear();
    ctx.close();
  }

  private void authenticationTimedOut() {
    if (phase != Phase.READY && phase != Phase.CLOSED) {
      LOG.debug("authentication timeout for {}", ctx.channel().remoteAddress());
      closeQuietly();
    }
  }

  private void cancelAuthenticationTimeout() {
    if (authenticationTimeout != null) {
      authenticationTimeout.cancel(false);
      authenticationTimeout = null;
    }
  }
}
