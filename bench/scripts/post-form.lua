-- POST /todo with a form body: the original route, as the reference stack takes it.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "content=benchmark+todo"
