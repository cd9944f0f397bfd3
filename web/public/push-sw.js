// Imported by the generated service worker (vite-plugin-pwa, importScripts): shows a Web Push
// message as a notification and opens its page on click. The payload is the server's JSON
// {type, title, body, url, notificationId} (docs/PRODUCT.md §2.7); the tag is the type and the
// page (one per listing, like the push topic), so a newer alert about a listing replaces the stale one.
self.addEventListener('push', (event) => {
  let data;
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = data.title || 'Pitch-A-Seat 讓座';
  const path = data.url ? new URL(data.url, self.location.origin).pathname : '';
  const tag = data.type ? `${data.type}:${path}` : undefined;
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || '',
      tag,
      renotify: Boolean(tag),
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      lang: data.locale || undefined,
      data: { url: data.url || '/', notificationId: data.notificationId },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  // Only our own pages: the path of `url` on this origin (a payload cannot send the reader away).
  const target = new URL(event.notification.data?.url || '/', self.location.origin);
  const url = new URL(target.pathname + target.search + target.hash, self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === url && 'focus' in client) return client.focus();
      }
      const open = windows.find((c) => 'navigate' in c);
      if (open)
        return open.navigate(url).then((c) => (c ? c.focus() : self.clients.openWindow(url)));
      return self.clients.openWindow(url);
    }),
  );
});
