-- POST /todos with a JSON body: the service's create route.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"content":"benchmark todo"}'
