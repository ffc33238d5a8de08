package dev.flint.host.auth;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls back when one file of a directory is created, replaced or changed, so that a key changed
 * by another process takes effect in the running host. Events are collected from registration on,
 * so nothing between {@link #register} and {@link #start} is missed.
 */
final class FileWatch implements AutoCloseable {

    /** An editor's save can be several events (truncate, write, rename): wait until they stop. */
    private static final long SETTLE_MILLIS = 50;
    private static final Logger LOG = LoggerFactory.getLogger("Host.Startup");

    private final Path directory;
    private final Path fileName;
    private final WatchService service;
    private volatile Thread thread;
    private volatile boolean closed;

    private FileWatch(Path directory, Path fileName, WatchService service) {
        this.directory = directory;
        this.fileName = fileName;
        this.service = service;
    }

    static FileWatch register(Path directory, String fileName) throws KeyStoreException {
        try {
            WatchService service = directory.getFileSystem().newWatchService();
            directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            return new FileWatch(directory, Path.of(fileName), service);
        } catch (IOException e) {
            throw new KeyStoreException("cannot watch " + directory + " for changes: " + KeysFile.reason(e), e);
        }
    }

    /** Starts calling {@code onChange} on a daemon virtual thread until {@link #close()}. */
    void start(Runnable onChange) {
        thread = Thread.ofVirtual().name("flint-keys-watch").start(() -> watch(onChange));
    }

    private void watch(Runnable onChange) {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean changed = false;
                do {
                    for (WatchEvent<?> event : key.pollEvents()) {
                        changed |= event.kind() == StandardWatchEventKinds.OVERFLOW || fileName.equals(event.context());
                    }
                    if (!key.reset()) { // cancelled: by close(), or because the directory is gone
                        if (!closed) {
                            LOG.warn("{} is gone; changes to its keys are no longer picked up", directory);
                        }
                        return;
                    }
                } while ((key = service.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null);
                if (changed) {
                    onChange.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // Closed: stop watching.
        }
    }

    /** Stops watching, and waits for a change being handled, so that none is handled after this returns. */
    @Override
    public void close() {
        closed = true;
        try {
            service.close(); // wakes the thread, which then ends
        } catch (IOException e) {
            LOG.debug("Closing the watch of {} failed", directory, e);
        }
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
