package dev.flint.host.auth;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive access to one data directory's keys, so that read-modify-write in the running host
 * (admin API) and in {@code flint keys} (another process) never lose each other's changes.
 *
 * <p>Across processes: an exclusive {@link FileChannel#lock()} on {@code keys.lock}. Within one
 * JVM a file lock is not enough: a second lock on the same file throws
 * OverlappingFileLockException, and POSIX drops a process's lock when any of its descriptors of
 * the file is closed. So a JVM-wide lock per directory is taken first, and the lock file is opened
 * and closed while it is held.
 */
final class KeysLock {

    private static final ConcurrentMap<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    /** Work done while the lock is held. */
    interface Locked<T> {
        T run() throws KeyStoreException;
    }

    private final Path file;
    private final ReentrantLock jvmLock;

    private KeysLock(Path file, ReentrantLock jvmLock) {
        this.file = file;
        this.jvmLock = jvmLock;
    }

    /** The lock of {@code directory}, which must exist. */
    static KeysLock of(Path directory) throws KeyStoreException {
        Path real;
        try {
            real = directory.toRealPath(); // one JVM lock however the directory is spelled
        } catch (IOException e) {
            throw new KeyStoreException("cannot use the key directory " + directory + ": " + KeysFile.reason(e), e);
        }
        return new KeysLock(real.resolve("keys.lock"), IN_THIS_JVM.computeIfAbsent(real, d -> new ReentrantLock()));
    }

    <T> T hold(Locked<T> work) throws KeyStoreException {
        jvmLock.lock();
        try (FileChannel channel = FileChannel.open(file,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), KeysFile.OWNER_ONLY_FILE)) {
            channel.lock(); // released when the channel closes
            return work.run();
        } catch (IOException e) {
            throw new KeyStoreException("cannot lock " + file + ": " + KeysFile.reason(e), e);
        } finally {
            jvmLock.unlock();
        }
    }
}
