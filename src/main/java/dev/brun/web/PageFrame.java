package dev.brun.web;

/**
 * What every page's frame shows: the active nav entry, the CSRF token for the meta tag, the pack in use, and who is
 * reviewing: reviewer null = nobody named yet (the frame asks once); namedByFile = the name comes from the
 * reviewers file and cannot be changed here.
 */
record PageFrame(String active, String title, String csrf, String packName, String packHash, String reviewer, boolean namedByFile) {
    PageFrame(String active, String title, String csrf, String packName, String packHash) {
        this(active, title, csrf, packName, packHash, null, false);
    }
}
