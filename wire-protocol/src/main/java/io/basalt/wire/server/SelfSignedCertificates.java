package io.basalt.wire.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a self-signed certificate for localhost with the openssl command, so that the embedded
 * setup can offer TLS without a certificate authority and without BouncyCastle (which Netty's own
 * self-signed helper needs on recent JDKs).
 */
public final class SelfSignedCertificates {
  public static final String CERTIFICATE_FILE = "server.crt";
  public static final String KEY_FILE = "server.key";
  private static final long TIMEOUT_SECONDS = 60;

  private SelfSignedCertificates() {}

  /** Reuses server.crt and server.key in {@code directory} if both exist, else generates them. */
  public static TlsConfig ensure(Path directory) throws IOException {
    Path cert = directory.resolve(CERTIFICATE_FILE);
    Path key = directory.resolve(KEY_FILE);
    if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
      return new TlsConfig(cert, key);
    }
    return generate(directory);
  }

  /** Writes a new RSA-2048 key and a ten-year certificate for CN=localhost into the directory. */
  public static TlsConfig generate(Path directory) throws IOException {
    Files.createDirectories(directory);
    Path cert = directory.resolve(CERTIFICATE_FILE);
    Path key = directory.resolve(KEY_FILE);
    List<String> command = List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-days", "3650", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
        "-keyout", key.toString(), "-out", cert.toString());
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("could not run openssl to create a TLS certificate; is it installed?",
          e);
    }
    process.getOutputStream().close();
    String output;
    try {
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("openssl did not finish within " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while creating a TLS certificate", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException("openssl failed with exit code " + process.exitValue() + ": "
          + output.strip());
    }
    restrictToOwner(key);
    return new TlsConfig(cert, key);
  }

  /** PostgreSQL refuses a key file others can read; keep to the same rule. */
  private static void restrictToOwner(Path key) throws IOException {
    try {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to restrict with
    }
  }
}
