using AgentMark.Templates.Bundling;
using AgentMark.Templates.Frontmatter;
using AgentMark.Templates.Syntax;

namespace AgentMark.Templates;

/// <summary>A served prompt tree and the files it depends on.</summary>
public sealed record CompiledTemplate(MdNode Root, IReadOnlyCollection<string> Files, string TagSet);

/// <summary>
/// The server-side pipeline for one prompt (templates-and-evals §2.4): read, parse, bundle with the
/// kind's tag set, resolve schema <c>$ref</c>s. Commit stamping is left to the caller (it changes
/// with the repository, not with the files).
/// </summary>
public sealed class TemplateCompiler(ITemplateFileSource files)
{
    /// <exception cref="TemplateFileException">The prompt file itself cannot be read.</exception>
    /// <exception cref="TemplateSyntaxException">The template (or a component or schema) is invalid.</exception>
    public CompiledTemplate Compile(string absolutePath, string? promptKind)
    {
        var content = files.Read(absolutePath);
        var tags = TagSet.ForKind(promptKind, content);
        var bundle = new TemplateBundler(files, tags).Bundle(absolutePath, content);
        var schemaFiles = new SchemaRefResolver(files).Apply(bundle.Root, absolutePath);
        var dependencies = new HashSet<string>(bundle.Files, StringComparer.Ordinal);
        dependencies.UnionWith(schemaFiles);
        dependencies.Add(Path.GetFullPath(absolutePath));
        return new CompiledTemplate(bundle.Root, dependencies, tags.Name);
    }
}
