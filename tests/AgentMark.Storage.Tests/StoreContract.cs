using AgentMark.Core.Spans;

namespace AgentMark.Storage.Tests;

/// <summary>
/// What the store contract suites share: each test opens a store over a fresh folder (or server) and
/// deletes it afterwards. A backend runs a suite by deriving a class that says how to open its store.
/// </summary>
public abstract class StoreContract(string name) : IAsyncLifetime
{
    protected readonly string Folder = Path.Combine(Path.GetTempPath(), $"agentmark-{name}-" + Guid.NewGuid().ToString("N"));
    protected ITraceStore Store = null!;

    protected abstract ITraceStore Open(string folder);

    public virtual async Task InitializeAsync()
    {
        Store = Open(Folder);
        await Store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    protected Task Append(params SpanRecord[] spans) => Store.AppendAsync(spans, CancellationToken.None);
}
