-- wrk: POST a chat-sized JSON body (the relay's typical request).
wrk.method = "POST"
wrk.body = '{"model":"bench-model","stream":false,"max_tokens":64,"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence, please, and nothing else at all."}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-0123456789abcdef0123456789abcdef0123456789abcdef"
