package dev.flint.host.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keys.json on disk, kept private to its owner: the data directory is created 0700 with a
 * {@code .gitignore} of {@code *} (it usually sits inside the app folder, which is often a git
 * work tree), and the file is only ever replaced by a new 0600 file renamed over it, so that a
 * reader (another process, the watcher) sees the old keys or the new ones, never half a file.
 * Callers hold the {@link KeysLock} for read-modify-write.
 */
final class KeysFile {

    static final String NAME = "keys.json";

    static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE = PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Logger LOG = LoggerFactory.getLogger("Host.Startup");

    private final Path directory;
    private final Path path;
    private final Path temporary;

    private KeysFile(Path directory) {
        this.directory = directory;
        this.path = directory.resolve(NAME);
        this.temporary = directory.resolve(NAME + ".tmp");
    }

    /** The keys file of {@code directory}, creating the directory (0700) and its {@code .gitignore} as needed. */
    static KeysFile in(Path directory) throws KeyStoreException {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory.getParent());
                try {
                    Files.createDirectory(directory, OWNER_ONLY_DIRECTORY);
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(directory)) {
                        throw e;
                    }
                    // Another process created it at the same moment.
                }
            }
            Path gitignore = directory.resolve(".gitignore");
            if (!Files.exists(gitignore)) {
                try {
                    Files.writeString(gitignore, "*\n", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    // Another process wrote it at the same moment, with the same content.
                }
            }
        } catch (IOException e) {
            throw new KeyStoreException("cannot create the key directory " + directory + ": " + reason(e), e);
        }
        return new KeysFile(directory);
    }

    Path path() {
        return path;
    }

    /** The keys in the file, or empty when there is no file; first makes a file others can read private. */
    Optional<KeyTable> read() throws KeyStoreException {
        byte[] bytes;
        try {
            restrictPermissions();
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new KeyStoreException("cannot read " + path + ": " + reason(e), e);
        }
        return Optional.of(KeysJson.parse(bytes, path));
    }

    private void restrictPermissions() throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        if (permissions.stream().anyMatch(OTHERS::contains)) {
            Files.setPosixFilePermissions(path, OWNER_READ_WRITE);
            LOG.warn("{} was open to other users ({}); it is now readable by its owner only (rw-------). Renew the keys"
                    + " if someone else may have read them.", path, PosixFilePermissions.toString(permissions));
        }
    }

    /** Replaces the file: a new 0600 file, written and synced, renamed over the old one. */
    void write(KeyTable table) throws KeyStoreException {
        ByteBuffer content = ByteBuffer.wrap(KeysJson.format(table.keys()));
        try {
            Files.deleteIfExists(temporary); // left by a process that died mid-write; we hold the lock
            try (FileChannel channel = FileChannel.open(temporary,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY_FILE)) {
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                channel.force(true);
            }
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directoryChannel = FileChannel.open(directory, StandardOpenOption.READ)) {
                directoryChannel.force(true); // makes the rename itself survive a crash
            }
        } catch (IOException e) {
            KeyStoreException failure = new KeyStoreException("cannot write " + path + ": " + reason(e), e);
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    /** An I/O failure in words; these messages name files, never their content. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException denied) {
            return "permission denied on " + denied.getFile();
        }
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + " is in the way (not a directory)";
        }
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + " does not exist";
        }
        if (e instanceof FileSystemException other && other.getReason() != null) {
            return other.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
