"""gunicorn's settings for the portal: `gunicorn civil_affairs.wsgi` reads this file from the
working directory (README, Production). Options on the command line override it."""

bind = "127.0.0.1:8000"
workers = 4
threads = 4
timeout = 120
# An idle connection is kept longer than a browser's or a proxy's pause between two requests
# on it. With gunicorn's default of 2 s a request sent as the server closes the connection
# is reset: the load bench lost 1% of its requests that way.
keepalive = 30
