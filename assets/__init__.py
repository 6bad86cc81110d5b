"""Static files the dashboard serves itself (no CDN): ``style.css``."""
