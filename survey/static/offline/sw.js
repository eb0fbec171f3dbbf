// The service worker of offline interviews, served from /offline/sw.js so that its scope is /offline/.
// It only answers from what "Prepare this device for offline" put into the cache (app.js): the
// offline page, the stylesheet, fonts, scripts, the study's public key and questionnaire descriptions.
// Nothing it caches holds an answer; uploads and the device status always go to the network.
"use strict";

const NETWORK_ONLY = ["/offline/device", "/offline/records", "/offline/sw.js"];

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (NETWORK_ONLY.some((path) => url.pathname.endsWith(path))) return;
  event.respondWith(
    caches.match(request, { ignoreSearch: true, ignoreVary: true }).then((cached) => cached || fetch(request)),
  );
});
