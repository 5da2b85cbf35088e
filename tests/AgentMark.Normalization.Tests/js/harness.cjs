// Shared by the capture scripts: one loopback HTTP server that plays the OpenAI chat-completions API
// (canned answers, no network) and receives the OTLP/HTTP export, so each script prints exactly the
// request bodies its real exporter sent.
"use strict";
const http = require("node:http");

// A tool-call answer when the request offers tools and no tool result is back yet; a text answer otherwise.
function chatCompletion(request) {
  const last = request.messages[request.messages.length - 1];
  const wantsTool = Array.isArray(request.tools) && request.tools.length > 0 && last.role !== "tool";
  const message = wantsTool
    ? { role: "assistant", content: null, tool_calls: [{ id: "call_weather_1", type: "function", function: { name: "get_weather", arguments: "{\"city\":\"Paris\"}" } }] }
    : { role: "assistant", content: last.role === "tool" ? "It is sunny in Paris." : "Paris" };
  return {
    id: wantsTool ? "chatcmpl-tool" : "chatcmpl-text",
    object: "chat.completion",
    created: 1767225600,
    model: "gpt-4o-2024-08-06",
    choices: [{ index: 0, message, finish_reason: wantsTool ? "tool_calls" : "stop", logprobs: null }],
    usage: { prompt_tokens: 24, completion_tokens: wantsTool ? 9 : 2, total_tokens: wantsTool ? 33 : 26 },
  };
}

async function startServer() {
  const exports = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (req.url.endsWith("/v1/traces")) {
        exports.push(JSON.parse(body));
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      } else if (req.url.endsWith("/chat/completions")) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(chatCompletion(JSON.parse(body))));
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return { openAiUrl: `${base}/v1`, tracesUrl: `${base}/v1/traces`, exports, close: () => new Promise((r) => server.close(r)) };
}

// All exported bodies merged into one ExportTraceServiceRequest, printed on stdout.
function printExports(exports) {
  process.stdout.write(JSON.stringify({ resourceSpans: exports.flatMap((e) => e.resourceSpans) }));
}

const weatherTool = {
  type: "function",
  function: { name: "get_weather", description: "Current weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
};

module.exports = { startServer, printExports, weatherTool };
