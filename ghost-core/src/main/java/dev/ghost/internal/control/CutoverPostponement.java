package dev.ghost.internal.control;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the cut-over must wait: while the postpone flag file exists, or the API asked to postpone, unless an
 * operator said "unpostpone" (which, as in gh-ost, overrides the flag file from then on).
 */
public final class CutoverPostponement {

    private volatile Path flagFile;
    private final Object monitor = new Object();
    private volatile boolean requested;
    private volatile boolean released;

    public CutoverPostponement(Path flagFile) {
        this.flagFile = flagFile;
    }

    public boolean postponed() {
        Path file = flagFile;
        return !released && (requested || (file != null && Files.exists(file)));
    }

    public void postpone() {
        requested = true;
        released = false;
    }

    public void unpostpone() {
        requested = false;
        released = true;
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    public Path flagFile() {
        return flagFile;
    }

    /** gh-ost's {@code postpone-cut-over-flag-file=}: another file from now on (null: none). */
    public void flagFile(Path file) {
        flagFile = file;
    }

    /** Waits while postponed: wakes at once on unpostpone, and checks the flag file every 100 ms. */
    public void awaitReleased() throws InterruptedException {
        synchronized (monitor) {
            while (postponed()) {
                monitor.wait(100);
            }
        }
    }
}
