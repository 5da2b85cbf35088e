using System.Collections;

namespace AgentMark.Normalization.Json;

/// <summary>
/// The value model for parsed and normalized JSON, as JavaScript holds it: C# <c>null</c> is
/// <c>undefined</c> (absent: omitted from objects), <see cref="JsNull.Value"/> is JSON <c>null</c>, and
/// the rest are <see cref="string"/>, boxed <see cref="double"/> (or <see cref="long"/> for exact OTLP
/// integers), boxed <see cref="bool"/>, <see cref="JsArray"/> and <see cref="JsObject"/>.
/// </summary>
/// <remarks>
/// Why not System.Text.Json.Nodes: a <c>JsonObject</c> costs an ordered dictionary with its resizes and
/// a parent link per node, which dominated normalization time; these nodes are plain lists, have no
/// parent, and so can be shared or moved between containers freely.
/// </remarks>
internal sealed class JsNull
{
    public static readonly JsNull Value = new();

    private JsNull()
    {
    }

    public override string ToString() => "null";
}

/// <summary>Shared boxes so booleans do not allocate.</summary>
internal static class JsBoxes
{
    public static readonly object True = true;
    public static readonly object False = false;

    public static object Bool(bool value) => value ? True : False;
}

/// <summary>A JSON array; elements may be null (undefined, written as <c>null</c>).</summary>
internal sealed class JsArray : List<object?>
{
    public JsArray()
    {
    }

    public JsArray(int capacity) : base(capacity)
    {
    }

    public JsArray(params object?[] items) : base(items)
    {
    }
}

/// <summary>
/// A JSON object: properties in insertion order; setting an existing key replaces its value in place
/// (JavaScript assignment). Lookups are linear for the small objects that dominate, with a dictionary
/// index once an object grows, so hostile input with many keys stays linear overall.
/// </summary>
internal sealed class JsObject : IEnumerable<KeyValuePair<string, object?>>
{
    private const int IndexThreshold = 12;

    private KeyValuePair<string, object?>[] _items;
    private int _count;
    private Dictionary<string, int>? _index;

    public JsObject() => _items = new KeyValuePair<string, object?>[4];

    public JsObject(int capacity) => _items = new KeyValuePair<string, object?>[Math.Max(capacity, 1)];

    public int Count => _count;

    public object? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : null;
        set => Set(key, value);
    }

    /// <summary>Collection-initializer support (<c>new JsObject { { "k", v } }</c>); same as the indexer.</summary>
    public void Add(string key, object? value) => Set(key, value);

    public bool TryGetValue(string key, out object? value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _items[i].Value : null;
        return i >= 0;
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public void Set(string key, object? value)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            _items[i] = new KeyValuePair<string, object?>(key, value);
            return;
        }
        if (_count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[_count] = new KeyValuePair<string, object?>(key, value);
        _index?.Add(key, _count);
        _count++;
        if (_index is null && _count > IndexThreshold) BuildIndex();
    }

    public bool Remove(string key)
    {
        var i = IndexOf(key);
        if (i < 0) return false;
        Array.Copy(_items, i + 1, _items, i, _count - i - 1);
        _count--;
        _items[_count] = default;
        if (_index is not null) BuildIndex();
        return true;
    }

    private int IndexOf(string key)
    {
        if (_index is not null) return _index.TryGetValue(key, out var found) ? found : -1;
        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(_items[i].Key, key, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    private void BuildIndex()
    {
        _index = new Dictionary<string, int>(_count * 2, StringComparer.Ordinal);
        for (var i = 0; i < _count; i++) _index[_items[i].Key] = i;
    }

    public KeyValuePair<string, object?> GetAt(int index) => _items[index];

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, object?>> IEnumerable<KeyValuePair<string, object?>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(JsObject obj) : IEnumerator<KeyValuePair<string, object?>>
    {
        private int _index = -1;

        public readonly KeyValuePair<string, object?> Current => obj._items[_index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < obj._count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
