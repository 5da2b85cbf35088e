// Differential oracle: renders trees with the official TemplateDX renderer (@agentmark-ai/templatedx).
// Input (file named by the first argument, else stdin): {"cases":[{"id","file","tags":[...],"ours":<tree>|null,"oursError":string|null,"props":[{...}]}]}
// For every case and prop set it bundles `file` with the official parser, transforms both trees with
// the props and stringifies them; output (stdout): {"results":[{"id","prop","official","ours","officialError","oursError"}]}.
import { TemplateDX, TagPlugin } from '@agentmark-ai/templatedx';
import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// Stands in for AgentMark's message tags: keeps the element and renders its children in place,
// so the serialised output shows both the tag and its rendered content.
class KeepElement extends TagPlugin {
  async transform(props, children, context) {
    const transformer = context.createNodeTransformer(context.scope.createChild());
    const rendered = [];
    for (const child of children) {
      const result = await transformer.transformNode(child);
      rendered.push(...(Array.isArray(result) ? result : [result]));
    }
    return [{ type: 'mdxJsxFlowElement', name: context.tagName, attributes: [], children: rendered }];
  }
}

function engine(tags) {
  const t = new TemplateDX();
  const extra = tags.filter((name) => !['ForEach', 'If', 'ElseIf', 'Else', 'Raw'].includes(name));
  if (extra.length) t.registerTagPlugin(new KeepElement(), extra);
  return t;
}

async function render(t, tree, props) {
  const copy = JSON.parse(JSON.stringify(tree));
  return t.stringify(await t.transform(copy, props));
}

const input = JSON.parse(readFileSync(process.argv[2] ?? 0, 'utf8'));
const results = [];
for (const c of input.cases) {
  const t = engine(c.tags);
  let official = null;
  let officialError = null;
  try {
    const source = await fs.readFile(c.file, 'utf8');
    official = await t.parse(source, path.dirname(c.file), (p) => fs.readFile(p, 'utf8'));
    // Frontmatter is compared separately (the gateway resolves schema $refs in it on purpose).
    if (c.dropYaml) official.children = official.children.filter((n) => n.type !== 'yaml');
  } catch (e) {
    officialError = 'bundle: ' + e.message;
  }
  for (let i = 0; i < c.props.length; i++) {
    const r = { id: c.id, prop: i, official: null, ours: null, officialError, oursError: c.oursError ? 'bundle: ' + c.oursError : null };
    if (official) {
      try { r.official = await render(t, official, c.props[i]); } catch (e) { r.officialError = 'render: ' + e.message; }
    }
    if (c.ours) {
      try { r.ours = await render(t, c.ours, c.props[i]); } catch (e) { r.oursError = 'render: ' + e.message; }
    }
    results.push(r);
  }
}
process.stdout.write(JSON.stringify({ results }));
