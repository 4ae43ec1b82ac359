package io.basalt.wire.codec;

import io.basalt.wire.message.FrontendMessage;

/** Every tag byte, request code and size limit of the PostgreSQL v3 protocol that Basalt uses. */
public final class Protocol {

  /** The protocol this server speaks: 3.0. Clients asking for 3.x get NegotiateProtocolVersion. */
  public static final int MAJOR_VERSION = 3;

  public static final int LATEST_MINOR_VERSION = 0;

  /** Startup parameters with this prefix are protocol options, not settings. */
  public static final String PROTOCOL_OPTION_PREFIX = "_pq_.";

  /** PostgreSQL's MAX_STARTUP_PACKET_LENGTH: startup packets are untrusted and kept small. */
  public static final int MAX_STARTUP_PACKET_LENGTH = 10_000;

  /** PostgreSQL's PQ_LARGE_MESSAGE_LIMIT: the default cap for Query, Bind, CopyData, .... */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = (1 << 30) - 1;

  /** PostgreSQL's PQ_SMALL_MESSAGE_LIMIT, for messages that have no reason to be large. */
  public static final int SMALL_MESSAGE_LIMIT = 10_000;

  /** PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH, the cap on password and SASL messages. */
  public static final int MAX_AUTH_MESSAGE_LENGTH = 65_535;

  private Protocol() {}

  /** Codes in the first packet, which has no tag byte. */
  public static final class RequestCode {
    public static final int CANCEL = 80877102;
    public static final int SSL = 80877103;
    public static final int GSSENC = 80877104;

    private RequestCode() {}
  }

  /** Single-byte answers to SSLRequest and GSSENCRequest. */
  public static final class EncryptionAnswer {
    public static final byte ACCEPT = 'S';
    public static final byte REFUSE = 'N';

    private EncryptionAnswer() {}
  }

  /** Tag bytes of messages the client sends. */
  public static final class Frontend {
    public static final byte BIND = 'B';
    public static final byte CLOSE = 'C';
    public static final byte COPY_DATA = 'd';
    public static final byte COPY_DONE = 'c';
    public static final byte COPY_FAIL = 'f';
    public static final byte DESCRIBE = 'D';
    public static final byte EXECUTE = 'E';
    public static final byte FLUSH = 'H';
    public static final byte FUNCTION_CALL = 'F';
    public static final byte PARSE = 'P';
    /** PasswordMessage, SASLInitialResponse and SASLResponse share this tag. */
    public static final byte PASSWORD = 'p';
    public static final byte QUERY = 'Q';
    public static final byte SYNC = 'S';
    public static final byte TERMINATE = 'X';

    /**
     * The tag of a decoded message, for error messages; 0 for the untagged startup packets.
     */
    public static byte tagOf(FrontendMessage message) {
      return switch (message) {
        case FrontendMessage.SslRequest m -> 0;
        case FrontendMessage.GssEncRequest m -> 0;
        case FrontendMessage.CancelRequest m -> 0;
        case FrontendMessage.Startup m -> 0;
        case FrontendMessage.PasswordData m -> PASSWORD;
        case FrontendMessage.Query m -> QUERY;
        case FrontendMessage.Parse m -> PARSE;
        case FrontendMessage.Bind m -> BIND;
        case FrontendMessage.Describe m -> DESCRIBE;
        case FrontendMessage.Execute m -> EXECUTE;
        case FrontendMessage.Close m -> CLOSE;
        case FrontendMessage.Sync m -> SYNC;
        case FrontendMessage.Flush m -> FLUSH;
        case FrontendMessage.FunctionCall m -> FUNCTION_CALL;
        case FrontendMessage.CopyData m -> COPY_DATA;
        case FrontendMessage.CopyDone m -> COPY_DONE;
        case FrontendMessage.CopyFail m -> COPY_FAIL;
        case FrontendMessage.Terminate m -> TERMINATE;
      };
    }

    /** Describe and Close name either a prepared statement or a portal. */
    public static final byte TARGET_STATEMENT = 'S';
    public static final byte TARGET_PORTAL = 'P';

    private Frontend() {}
  }

  /** Tag bytes of messages the server sends. */
  public static final class Backend {
    public static final byte AUTHENTICATION = 'R';
    public static final byte BACKEND_KEY_DATA = 'K';
    public static final byte BIND_COMPLETE = '2';
    public static final byte CLOSE_COMPLETE = '3';
    public static final byte COMMAND_COMPLETE = 'C';
    public static final byte COPY_DATA = 'd';
    public static final byte COPY_DONE = 'c';
    public static final byte COPY_IN_RESPONSE = 'G';
    public static final byte COPY_OUT_RESPONSE = 'H';
    public static final byte DATA_ROW = 'D';
    public static final byte EMPTY_QUERY_RESPONSE = 'I';
    public static final byte ERROR_RESPONSE = 'E';
    public static final byte FUNCTION_CALL_RESPONSE = 'V';
    public static final byte NEGOTIATE_PROTOCOL_VERSION = 'v';
    public static final byte NO_DATA = 'n';
    public static final byte NOTICE_RESPONSE = 'N';
    public static final byte NOTIFICATION_RESPONSE = 'A';
    public static final byte PARAMETER_DESCRIPTION = 't';
    public static final byte PARAMETER_STATUS = 'S';
    public static final byte PARSE_COMPLETE = '1';
    public static final byte PORTAL_SUSPENDED = 's';
    public static final byte READY_FOR_QUERY = 'Z';
    public static final byte ROW_DESCRIPTION = 'T';

    private Backend() {}
  }

  /** The Int32 that follows the 'R' tag and says which authentication message it is. */
  public static final class AuthCode {
    public static final int OK = 0;
    public static final int CLEARTEXT_PASSWORD = 3;
    public static final int MD5_PASSWORD = 5;
    public static final int SASL = 10;
    public static final int SASL_CONTINUE = 11;
    public static final int SASL_FINAL = 12;

    private AuthCode() {}
  }

  /** The SQLSTATEs the wire layer itself raises. */
  public static final class SqlState {
    public static final String PROTOCOL_VIOLATION = "08P01";
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    public static final String INVALID_AUTHORIZATION_SPECIFICATION = "28000";
    public static final String INVALID_PASSWORD = "28P01";
    public static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";
    public static final String TOO_MANY_CONNECTIONS = "53300";
    public static final String INTERNAL_ERROR = "XX000";

    private SqlState() {}
  }
}
