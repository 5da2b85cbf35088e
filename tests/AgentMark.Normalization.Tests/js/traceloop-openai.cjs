// OpenLLMetry: the real @traceloop/node-server-sdk (workflow/task decorators, association properties and
// its OpenAI instrumentation) around the real `openai` client, exported by the OpenTelemetry JS OTLP/HTTP
// JSON exporter. Prints the export body (OTLP/JSON).
"use strict";
const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-http");
const traceloop = require("@traceloop/node-server-sdk");
const OpenAI = require("openai");
const { startServer, printExports, weatherTool } = require("./harness.cjs");

(async () => {
  const server = await startServer();
  traceloop.initialize({
    appName: "traceloop-capture",
    exporter: new OTLPTraceExporter({ url: server.tracesUrl }),
    disableBatch: true,
    traceloopSyncEnabled: false,
    silenceInitializationMessage: true,
    instrumentModules: { openAI: OpenAI.OpenAI }, // the class carries the resource classes it patches
  });

  const client = new OpenAI({ apiKey: "sk-test", baseURL: server.openAiUrl, maxRetries: 0 });
  await traceloop.withAssociationProperties({ session_id: "conv-7", user_id: "user-3", tenant: "acme" }, () =>
    traceloop.withWorkflow({ name: "capital_workflow" }, async () => {
      const answer = await traceloop.withTask({ name: "ask_capital" }, async () => {
        const completion = await client.chat.completions.create({
          model: "gpt-4o",
          temperature: 0.2,
          max_tokens: 256,
          messages: [{ role: "system", content: "Answer in one word." }, { role: "user", content: "Capital of France?" }],
        });
        return completion.choices[0].message.content;
      });
      // A tool call requested by the model.
      await client.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "What is the weather in Paris?" }],
        tools: [weatherTool],
      });
      return { answer };
    }));

  await traceloop.forceFlush();
  await server.close();
  printExports(server.exports);
})().catch((e) => { console.error(e); process.exit(1); });
