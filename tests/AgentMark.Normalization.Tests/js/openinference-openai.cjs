// Arize OpenInference: the real @arizeai/openinference-instrumentation-openai around the real `openai`
// client, exported by the OpenTelemetry JS OTLP/HTTP JSON exporter. Prints the export body (OTLP/JSON).
"use strict";
const { NodeTracerProvider, SimpleSpanProcessor } = require("@opentelemetry/sdk-trace-node");
const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-http");
const { resourceFromAttributes } = require("@opentelemetry/resources");
const { OpenAIInstrumentation } = require("@arizeai/openinference-instrumentation-openai");
const { SEMRESATTRS_PROJECT_NAME } = require("@arizeai/openinference-semantic-conventions");
const { context } = require("@opentelemetry/api");
const { setSession, setUser, setMetadata, traceRetriever, traceTool, getRetrieverAttributes, getToolAttributes } = require("@arizeai/openinference-core");
const OpenAI = require("openai");
const { startServer, printExports, weatherTool } = require("./harness.cjs");

(async () => {
  const server = await startServer();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": "openinference-capture", [SEMRESATTRS_PROJECT_NAME]: "capture" }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: server.tracesUrl }))],
  });
  provider.register();
  const instrumentation = new OpenAIInstrumentation();
  instrumentation.setTracerProvider(provider);
  instrumentation.manuallyInstrument(OpenAI);

  const client = new OpenAI({ apiKey: "sk-test", baseURL: server.openAiUrl, maxRetries: 0 });
  // 1. Plain chat completion, with OpenInference's session, user and metadata context attributes.
  let ctx = setSession(context.active(), { sessionId: "conv-1" });
  ctx = setUser(ctx, { userId: "user-9" });
  ctx = setMetadata(ctx, { experiment: "A", attempt: 2 });
  await context.with(ctx, () => client.chat.completions.create({
    model: "gpt-4o",
    temperature: 0.2,
    max_completion_tokens: 256,
    messages: [{ role: "system", content: "Answer in one word." }, { role: "user", content: "Capital of France?" }],
  }));
  // 2. A tool round trip: the model asks for the tool, then answers from its result.
  const question = { role: "user", content: "What is the weather in Paris?" };
  const first = await client.chat.completions.create({ model: "gpt-4o", messages: [question], tools: [weatherTool] });
  const call = first.choices[0].message;
  await client.chat.completions.create({
    model: "gpt-4o",
    tools: [weatherTool],
    messages: [question, call, { role: "tool", tool_call_id: call.tool_calls[0].id, content: "{\"sky\":\"sunny\"}" }],
  });

  // 3. Hand-instrumented retriever and tool spans (openinference-core helpers).
  const retrieve = traceRetriever(async (query) => [
    { id: "doc-1", content: "Paris is the capital of France.", score: 0.92, metadata: { source: "atlas" } },
    { id: 2, content: "France is in Europe.", score: 0.5 },
  ], { name: "retrieve-docs", processOutput: (documents) => getRetrieverAttributes({ documents }) });
  await retrieve("capital of France");
  const weather = traceTool(async (city) => ({ city, sky: "sunny" }), {
    name: "get_weather",
    attributes: getToolAttributes({ name: "get_weather", description: "Current weather", parameters: weatherTool.function.parameters }),
  });
  await weather("Paris");

  await provider.forceFlush();
  await provider.shutdown();
  await server.close();
  printExports(server.exports);
})().catch((e) => { console.error(e); process.exit(1); });
