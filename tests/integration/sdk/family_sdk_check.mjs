// Drives the official Anthropic, Google Gen AI and OpenAI npm clients against
// the gateway, each against a model served by an OpenAI, an Anthropic and a
// Gemini channel: natively and translated, plain, streamed, with a forced
// tool call (streamed too), and the SDK's own error types for the gateway's
// errors. Prints one JSON object with the outcome of each check; exits 1 if
// any failed.
//   GATEWAY_BASE  e.g. http://127.0.0.1:8080 (no path)    GATEWAY_KEY  sk-...
//   MODELS        JSON {"openai": id, "anthropic": id, "gemini": id}: a chat model behind each family's channel
//   EMBED_MODEL   an embedding model behind a Gemini channel
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI, ApiError as GenAiError, FunctionCallingConfigMode } from '@google/genai';
import OpenAI from 'openai';

const base = process.env.GATEWAY_BASE;
const key = process.env.GATEWAY_KEY;
const models = JSON.parse(process.env.MODELS);
const embedModel = process.env.EMBED_MODEL;
const results = {};

async function check(name, fn) {
  try {
    const detail = await fn();
    results[name] = { ok: true, ...(detail !== undefined ? { detail } : {}) };
  } catch (e) {
    results[name] = { ok: false, error: String((e && e.stack) || e) };
  }
}
function assert(cond, message) { if (!cond) throw new Error(message); }
async function expectError(promise, type, status) {
  try {
    await promise;
  } catch (e) {
    assert(e instanceof type, `expected ${type.name}, got ${e && e.constructor && e.constructor.name}: ${e}`);
    if (status) assert(e.status === status, `expected status ${status}, got ${e.status}`);
    return;
  }
  throw new Error(`expected ${type.name}, the call succeeded`);
}

const prompt = 'Say hello world';
const expected = 'Echo: Say hello world';
const weather = {
  name: 'get_weather',
  description: 'The weather of a city',
  schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

// --- Anthropic --------------------------------------------------------------
const anthropic = new Anthropic({ apiKey: key, baseURL: base, maxRetries: 0 });
// Current SDKs may send the key as a bearer token instead.
const anthropicBearer = new Anthropic({ authToken: key, apiKey: null, baseURL: `${base}/anthropic`, maxRetries: 0 });

for (const [upstream, model] of Object.entries(models)) {
  const tag = `anthropic/${upstream}`;
  await check(`${tag}/messages`, async () => {
    const m = await anthropic.messages.create({ model, max_tokens: 50, system: 'Be brief.', messages: [{ role: 'user', content: prompt }] });
    assert(m.type === 'message' && m.role === 'assistant', 'not a message');
    assert(m.model === model, `model ${m.model}`);
    assert(m.content[0].type === 'text' && m.content[0].text === expected, `text ${JSON.stringify(m.content)}`);
    assert(m.stop_reason === 'end_turn', `stop_reason ${m.stop_reason}`);
    assert(m.usage.input_tokens > 0 && m.usage.output_tokens === 4, `usage ${JSON.stringify(m.usage)}`);
  });
  await check(`${tag}/bearer`, async () => {
    const m = await anthropicBearer.messages.create({ model, max_tokens: 50, messages: [{ role: 'user', content: prompt }] });
    assert(m.content[0].text === expected, 'bearer key not accepted');
  });
  await check(`${tag}/stream`, async () => {
    const stream = anthropic.messages.stream({ model, max_tokens: 50, messages: [{ role: 'user', content: prompt }] });
    const seen = [];
    stream.on('streamEvent', (e) => seen.push(e.type));
    const final = await stream.finalMessage();
    assert(final.content[0].text === expected, `text ${JSON.stringify(final.content)}`);
    assert(seen[0] === 'message_start' && seen.at(-1) === 'message_stop', `events ${seen.join(',')}`);
    assert(final.usage.output_tokens === 4, `usage ${JSON.stringify(final.usage)}`);
  });
  for (const streamed of [false, true]) {
    await check(`${tag}/tools${streamed ? '_stream' : ''}`, async () => {
      const params = {
        model, max_tokens: 200, messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
        tools: [{ name: weather.name, description: weather.description, input_schema: weather.schema }],
        tool_choice: { type: 'tool', name: weather.name },
      };
      const m = streamed ? await anthropic.messages.stream(params).finalMessage() : await anthropic.messages.create(params);
      const use = m.content.find((b) => b.type === 'tool_use');
      assert(use && use.name === weather.name && use.input.city === 'fake', `content ${JSON.stringify(m.content)}`);
      assert(m.stop_reason === 'tool_use', `stop_reason ${m.stop_reason}`);
      // The second turn, with the tool's result.
      const next = await anthropic.messages.create({
        ...params, tool_choice: { type: 'auto' },
        messages: [...params.messages, { role: 'assistant', content: m.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '21 degrees' }, { type: 'text', text: 'Thanks' }] }],
      });
      assert(next.content.some((b) => b.type === 'text'), 'no answer after the tool result');
    });
  }
  await check(`${tag}/count_tokens`, async () => {
    const r = await anthropic.messages.countTokens({ model, messages: [{ role: 'user', content: prompt }] });
    assert(r.input_tokens > 0, 'no count');
  });
}
await check('anthropic/models', async () => {
  const page = await anthropic.models.list();
  assert(page.data.some((m) => m.id === models.anthropic), 'the model is not listed');
});
await check('anthropic/error_authentication', () =>
  expectError(new Anthropic({ apiKey: 'sk-wrong', baseURL: base, maxRetries: 0 }).messages.create(
    { model: models.anthropic, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }), Anthropic.AuthenticationError, 401));
await check('anthropic/error_not_found', () =>
  expectError(anthropic.messages.create({ model: 'no-such-model', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
    Anthropic.NotFoundError, 404));
await check('anthropic/error_bad_request', () =>
  expectError(anthropic.messages.create({ model: models.anthropic, max_tokens: 5, messages: 'not a list' }), Anthropic.BadRequestError, 400));

// --- Google Gen AI ----------------------------------------------------------
const genai = new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: base } });
const genaiPrefixed = new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: `${base}/gemini` } });

for (const [upstream, model] of Object.entries(models)) {
  const tag = `gemini/${upstream}`;
  await check(`${tag}/generate`, async () => {
    const r = await genai.models.generateContent({ model, contents: prompt, config: { systemInstruction: 'Be brief.', maxOutputTokens: 50 } });
    assert(r.text === expected, `text ${r.text}`);
    assert(r.candidates[0].finishReason === 'STOP', `finishReason ${r.candidates[0].finishReason}`);
    assert(r.usageMetadata.candidatesTokenCount === 4 && r.usageMetadata.promptTokenCount > 0, `usage ${JSON.stringify(r.usageMetadata)}`);
  });
  await check(`${tag}/prefixed`, async () => {
    const r = await genaiPrefixed.models.generateContent({ model, contents: prompt });
    assert(r.text === expected, `text ${r.text}`);
  });
  await check(`${tag}/stream`, async () => {
    const stream = await genai.models.generateContentStream({ model, contents: prompt });
    let text = '';
    let last;
    for await (const chunk of stream) { text += chunk.text ?? ''; last = chunk; }
    assert(text === expected, `text ${text}`);
    assert(last.candidates[0].finishReason === 'STOP', 'the last chunk has no finish reason');
    assert(last.usageMetadata && last.usageMetadata.candidatesTokenCount === 4, `usage ${JSON.stringify(last.usageMetadata)}`);
  });
  for (const streamed of [false, true]) {
    await check(`${tag}/tools${streamed ? '_stream' : ''}`, async () => {
      const params = {
        model, contents: 'What is the weather in Paris?',
        config: {
          tools: [{ functionDeclarations: [{ name: weather.name, description: weather.description, parameters: weather.schema }] }],
          toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: [weather.name] } },
        },
      };
      let calls = [];
      if (streamed) {
        for await (const chunk of await genai.models.generateContentStream(params)) calls.push(...(chunk.functionCalls ?? []));
      } else {
        calls = (await genai.models.generateContent(params)).functionCalls ?? [];
      }
      assert(calls.length === 1 && calls[0].name === weather.name && calls[0].args.city === 'fake', `calls ${JSON.stringify(calls)}`);
      const next = await genai.models.generateContent({
        model, config: { tools: params.config.tools },
        contents: [{ role: 'user', parts: [{ text: 'What is the weather in Paris?' }] },
          { role: 'model', parts: [{ functionCall: calls[0] }] },
          { role: 'user', parts: [{ functionResponse: { name: weather.name, response: { temperature: 21 } } }, { text: 'Thanks' }] }],
      });
      assert(typeof next.text === 'string' && next.text.length > 0, 'no answer after the function response');
    });
  }
  await check(`${tag}/count_tokens`, async () => {
    const r = await genai.models.countTokens({ model, contents: prompt });
    assert(r.totalTokens > 0, 'no count');
  });
}
await check('gemini/embed', async () => {
  const r = await genai.models.embedContent({ model: embedModel, contents: ['first text', 'second text'] });
  assert(r.embeddings.length === 2 && r.embeddings[0].values.length > 0, `embeddings ${JSON.stringify(r).slice(0, 200)}`);
});
await check('gemini/models', async () => {
  const names = [];
  for await (const m of await genai.models.list()) names.push(m.name);
  assert(names.includes(`models/${models.gemini}`), `listed ${names.join(',')}`);
});
await check('gemini/error_authentication', () =>
  expectError(new GoogleGenAI({ apiKey: 'sk-wrong', httpOptions: { baseUrl: base } }).models.generateContent(
    { model: models.gemini, contents: 'x' }), GenAiError, 401));
await check('gemini/error_not_found', () =>
  expectError(genai.models.generateContent({ model: 'no-such-model', contents: 'x' }), GenAiError, 404));
await check('gemini/error_bad_request', () =>
  expectError(genai.models.generateContent({ model: models.gemini, contents: [{ role: 'user', parts: [{ text: 5 }] }] }), GenAiError, 400));

// --- OpenAI, to the other families -------------------------------------------
const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: key, maxRetries: 0 });
for (const [upstream, model] of Object.entries(models)) {
  const tag = `openai/${upstream}`;
  await check(`${tag}/chat`, async () => {
    const c = await openai.chat.completions.create({ model, max_tokens: 50, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: prompt }] });
    assert(c.choices[0].message.content === expected, `content ${c.choices[0].message.content}`);
    assert(c.choices[0].finish_reason === 'stop', `finish_reason ${c.choices[0].finish_reason}`);
    assert(c.usage.completion_tokens === 4 && c.usage.prompt_tokens > 0, `usage ${JSON.stringify(c.usage)}`);
  });
  await check(`${tag}/stream`, async () => {
    const stream = await openai.chat.completions.create({ model, messages: [{ role: 'user', content: prompt }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage;
    for await (const chunk of stream) { text += chunk.choices[0]?.delta?.content ?? ''; if (chunk.usage) usage = chunk.usage; }
    assert(text === expected, `text ${text}`);
    assert(usage && usage.completion_tokens === 4, `usage ${JSON.stringify(usage)}`);
  });
  for (const streamed of [false, true]) {
    await check(`${tag}/tools${streamed ? '_stream' : ''}`, async () => {
      const params = {
        model, messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
        tools: [{ type: 'function', function: { name: weather.name, description: weather.description, parameters: weather.schema } }],
        tool_choice: { type: 'function', function: { name: weather.name } },
      };
      const c = streamed ? await openai.chat.completions.stream(params).finalChatCompletion() : await openai.chat.completions.create(params);
      const call = c.choices[0].message.tool_calls?.[0];
      assert(call && call.function.name === weather.name && JSON.parse(call.function.arguments).city === 'fake',
        `message ${JSON.stringify(c.choices[0].message)}`);
      assert(c.choices[0].finish_reason === 'tool_calls', `finish_reason ${c.choices[0].finish_reason}`);
    });
  }
  await check(`${tag}/error_bad_request`, () =>
    upstream === 'openai' ? Promise.resolve()
      : expectError(openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }], logprobs: true }), OpenAI.BadRequestError, 400));
}

console.log(JSON.stringify(results));
process.exit(Object.values(results).every((r) => r.ok) ? 0 : 1);
