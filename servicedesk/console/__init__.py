"""The desk console: Swedish server-rendered pages for handläggare, with a little JavaScript."""
