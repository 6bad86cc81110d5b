"""Static files the dashboard serves itself (no CDN): the page's ``style.css``; the server's own pages
(``page.html`` around ``login.html`` or ``refused.html``, styled by ``pages.css``)."""
