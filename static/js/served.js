// Where the game is served: "" at the root of its host, "/curb" behind a proxy that serves it under
// https://host/curb/ (the server writes it in the page's <meta name="curb-root">). Every URL the pages
// build goes through served(), so pages, files, the socket and links all stay under that prefix.
export const ROOT = /** @type {HTMLMetaElement | null} */ (document.querySelector('meta[name="curb-root"]'))?.content || "";

/** A path of this server ("/host", "/static/...") as the browser must request it. */
export const served = (path) => `${ROOT}${path}`;
