package org.deepstroke.core.io;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** A file system error as words a user reads (the JDK's exceptions carry only a class name and a path). */
public final class FileErrors {

    private FileErrors() {
    }

    /** The reason, without the file name (the caller names the file). */
    public static String reason(FileSystemException e) {
        String what = e instanceof NoSuchFileException ? "no such file or folder"
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileAlreadyExistsException ? "a file is in the way (a path component exists and is not a folder)"
                : e instanceof NotDirectoryException ? "not a folder"
                : e instanceof DirectoryNotEmptyException ? "folder not empty"
                : null;
        String detail = e.getReason();
        if (what == null) {
            return detail == null ? "file system error" : detail;
        }
        return detail == null ? what : what + " (" + detail + ")";
    }

    /** {@code file: reason} for the file the error is about (the other file of a copy or move when given). */
    public static String oneLine(FileSystemException e) {
        String file = e.getFile() == null ? "" : e.getFile() + ": ";
        return file + reason(e);
    }
}
