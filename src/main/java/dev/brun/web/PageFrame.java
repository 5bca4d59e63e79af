package dev.brun.web;

/** What every page's frame shows: the active nav entry, the CSRF token for the meta tag, the pack in use. */
record PageFrame(String active, String title, String csrf, String packName, String packHash) {}
