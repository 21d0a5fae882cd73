namespace KmodGuard.Core.Policy.Compiled;

/// <summary>
/// Finds the rules whose glob's literal prefix is a prefix of a value: one walk down a character trie,
/// collecting the sorted rule lists stored where a prefix ends.
/// </summary>
internal sealed class PrefixTrie
{
    private sealed class Node
    {
        public char[] Keys = [];
        public Node[] Children = [];
        public int[]? Rules;
    }

    private sealed class BuildNode
    {
        public readonly SortedDictionary<char, BuildNode> Children = [];
        public SortedSet<int>? Rules;
    }

    private readonly Node _root;

    public PrefixTrie(IEnumerable<(string Prefix, int Rule)> entries)
    {
        var root = new BuildNode();
        foreach ((string prefix, int rule) in entries)
        {
            BuildNode node = root;
            foreach (char c in prefix)
            {
                if (!node.Children.TryGetValue(c, out BuildNode? child))
                {
                    child = new BuildNode();
                    node.Children.Add(c, child);
                }

                node = child;
            }

            (node.Rules ??= []).Add(rule);
        }

        _root = Freeze(root);
    }

    private static Node Freeze(BuildNode b) => new()
    {
        Keys = b.Children.Keys.ToArray(),
        Children = b.Children.Values.Select(Freeze).ToArray(),
        Rules = b.Rules?.ToArray(),
    };

    /// <summary>Adds the lists along <paramref name="value"/> to <paramref name="lists"/>; false when they do not fit.</summary>
    public bool Collect(ReadOnlySpan<char> value, Span<int[]> lists, ref int count)
    {
        Node node = _root;
        int i = 0;
        while (true)
        {
            if (node.Rules is not null)
            {
                if (count == lists.Length)
                {
                    return false;
                }

                lists[count++] = node.Rules;
            }

            if (i == value.Length)
            {
                return true;
            }

            int at = node.Keys.Length <= 8 ? node.Keys.AsSpan().IndexOf(value[i]) : node.Keys.AsSpan().BinarySearch(value[i]);
            if (at < 0)
            {
                return true;
            }

            node = node.Children[at];
            i++;
        }
    }
}
