// Drives the official `openai` npm client against the gateway and, for
// comparison, against the upstream directly. Prints one JSON object with the
// outcome of each check; exits 1 if any failed.
//   GATEWAY_URL  e.g. http://127.0.0.1:8080/v1      GATEWAY_KEY  sk-... (a gateway key)
//   UPSTREAM_URL e.g. http://127.0.0.1:9000/v1      MODEL        a model id that is the same on both sides
import OpenAI from 'openai';

const gateway = new OpenAI({ baseURL: process.env.GATEWAY_URL, apiKey: process.env.GATEWAY_KEY, maxRetries: 0 });
const upstream = new OpenAI({ baseURL: process.env.UPSTREAM_URL, apiKey: 'sk-upstream-direct', maxRetries: 0 });
const model = process.env.MODEL;
const embeddingModel = process.env.EMBEDDING_MODEL;
const imageModel = process.env.IMAGE_MODEL;
const speechModel = process.env.SPEECH_MODEL;
const results = {};

function stable(completion) {
  // What must be the same whichever way the answer came: not the ids or times
  // (tool call ids too are made up per answer).
  const choices = JSON.parse(JSON.stringify(completion.choices));
  for (const c of choices) for (const t of c.message?.tool_calls ?? []) t.id = '*';
  return { model: completion.model, choices, usage: completion.usage, object: completion.object };
}

async function check(name, fn) {
  try {
    const detail = await fn();
    results[name] = { ok: true, ...(detail ? { detail } : {}) };
  } catch (e) {
    results[name] = { ok: false, error: String(e && e.stack || e) };
  }
}

function assert(cond, message) { if (!cond) throw new Error(message); }
function same(a, b, what) {
  const ja = JSON.stringify(a), jb = JSON.stringify(b);
  assert(ja === jb, `${what} differ:\n gateway:  ${ja}\n upstream: ${jb}`);
}

const messages = [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Say hello in one short sentence.' }];

await check('chat', async () => {
  const viaGateway = await gateway.chat.completions.create({ model, messages, max_tokens: 50 });
  const direct = await upstream.chat.completions.create({ model, messages, max_tokens: 50 });
  same(stable(viaGateway), stable(direct), 'chat completions');
  return viaGateway.choices[0].message.content;
});

await check('chat_with_raw_response', async () => {
  const { response } = await gateway.chat.completions.create({ model, messages }).withResponse();
  assert(/^req_/.test(response.headers.get('x-request-id') || ''), 'no x-request-id');
});

async function collect(client, extra = {}) {
  const stream = await client.chat.completions.create({ model, messages, stream: true, ...extra });
  const chunks = [];
  for await (const chunk of stream) chunks.push({ choices: chunk.choices, usage: chunk.usage ?? null, model: chunk.model });
  return chunks;
}

await check('stream', async () => {
  const viaGateway = await collect(gateway);
  const direct = await collect(upstream);
  assert(viaGateway.length > 2, 'too few chunks');
  same(viaGateway, direct, 'stream chunks');
  return viaGateway.map((c) => c.choices[0]?.delta?.content ?? '').join('');
});

await check('stream_with_usage', async () => {
  const opts = { stream_options: { include_usage: true } };
  const viaGateway = await collect(gateway, opts);
  const direct = await collect(upstream, opts);
  same(viaGateway, direct, 'stream chunks with usage');
  assert(viaGateway.at(-1).usage && viaGateway.at(-1).usage.total_tokens > 0, 'no usage in the last chunk');
});

await check('stream_helper', async () => {
  const runner = gateway.chat.completions.stream({ model, messages });
  const final = await runner.finalChatCompletion();
  assert(final.choices[0].message.content.startsWith('Echo:'), 'the stream helper assembled no content');
});

await check('tools', async () => {
  const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
  const ask = [{ role: 'user', content: 'call tool get_weather for Paris' }];
  const viaGateway = await gateway.chat.completions.create({ model, messages: ask, tools });
  const direct = await upstream.chat.completions.create({ model, messages: ask, tools });
  same(stable(viaGateway), stable(direct), 'tool call completions');
  assert(viaGateway.choices[0].finish_reason === 'tool_calls', 'no tool call');
});

if (embeddingModel) {
  await check('embeddings', async () => {
    // The SDK asks for base64 and decodes it: the vectors must survive the trip.
    const viaGateway = await gateway.embeddings.create({ model: embeddingModel, input: ['one', 'two'] });
    const direct = await upstream.embeddings.create({ model: embeddingModel, input: ['one', 'two'] });
    same(viaGateway.data, direct.data, 'embeddings');
    same(viaGateway.usage, direct.usage, 'embedding usage');
  });
}

if (imageModel) {
  await check('images', async () => {
    const request = { model: imageModel, prompt: 'A red fox in the snow.', n: 2 };
    const viaGateway = await gateway.images.generate(request);
    const direct = await upstream.images.generate(request);
    same(viaGateway.data, direct.data, 'images');
    assert(viaGateway.data.length === 2, `asked for 2 images, got ${viaGateway.data.length}`);
  });
}

if (speechModel) {
  await check('speech', async () => {
    const request = { model: speechModel, voice: 'alloy', input: 'Hello there, friend.' };
    const viaGateway = Buffer.from(await (await gateway.audio.speech.create(request)).arrayBuffer());
    const direct = Buffer.from(await (await upstream.audio.speech.create(request)).arrayBuffer());
    assert(viaGateway.length > 0 && viaGateway.equals(direct), 'the audio differs');
  });
}

await check('models', async () => {
  const ids = [];
  for await (const m of gateway.models.list()) ids.push(m.id);
  assert(ids.includes(model), `model list ${JSON.stringify(ids)} lacks ${model}`);
  const one = await gateway.models.retrieve(model);
  assert(one.id === model, 'retrieve returned another model');
});

async function expectError(name, klass, status, fn) {
  await check(name, async () => {
    try {
      await fn();
    } catch (e) {
      assert(e instanceof klass, `expected ${klass.name}, got ${e && e.constructor && e.constructor.name}: ${e}`);
      assert(e.status === status, `expected status ${status}, got ${e.status}`);
      return e.message;
    }
    throw new Error('no error was raised');
  });
}

const badKey = new OpenAI({ baseURL: process.env.GATEWAY_URL, apiKey: 'sk-this-key-does-not-exist-000000000000', maxRetries: 0 });
await expectError('error_authentication', OpenAI.AuthenticationError, 401,
  () => badKey.chat.completions.create({ model, messages }));
await expectError('error_not_found', OpenAI.NotFoundError, 404,
  () => gateway.chat.completions.create({ model: 'no-such-model', messages }));
await expectError('error_bad_request', OpenAI.BadRequestError, 400,
  () => gateway.chat.completions.create({ model, messages: 'not a list' }));
await expectError('error_upstream_failure', OpenAI.InternalServerError, 502,
  () => gateway.chat.completions.create({ model: 'fails-upstream', messages }));

console.log(JSON.stringify(results));
process.exit(Object.values(results).every((r) => r.ok) ? 0 : 1);
