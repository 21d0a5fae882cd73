using System.Globalization;
using System.Text;
using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Audit.Rules;

/// <summary>
/// Builds a rule from auditctl syntax the way auditctl 3.0.9 does: <c>-a LIST,ACTION</c> (either order), <c>-F
/// field OP value</c>, <c>-C field OP field</c>, <c>-S</c> names or numbers (comma lists, repeatable) in the arch of
/// the preceding <c>-F arch=</c> or the machine's, <c>-w PATH</c> (a directory watch when PATH is a directory), <c>-p
/// rwxa</c>, <c>-k KEY</c> (keys are joined with 0x01 and added as the last field). Errors name the problem.
/// </summary>
internal static class AuditRuleParser
{
    private const int MaxKeyLength = 256;
    private const int MaxPathLength = 4096;
    private const uint UnsetId = uint.MaxValue;
    private const uint AllPermissions = 15;

    /// <summary>AF_MAX on Linux 6.x: address families are below it.</summary>
    private const uint AddressFamilyMax = 46;

    public static AuditRule Parse(string arguments, AuditRuleParseOptions options)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return Parse(Tokenize(arguments), options);
    }

    public static AuditRule Parse(IReadOnlyList<string> args, AuditRuleParseOptions options)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        var state = new State(options);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg.Length < 2 || arg[0] != '-')
            {
                throw new AuditRuleException($"'{arg}': expected an option (-a, -w, -F, -C, -S, -p, -k)");
            }

            string value;
            if (arg.Length > 2)
            {
                value = arg[2..];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new AuditRuleException($"{arg} needs a value");
            }

            switch (arg[1])
            {
                case 'a': state.SetListAndAction(value); break;
                case 'w': state.AddWatch(value); break;
                case 'F': state.AddField(value); break;
                case 'C': state.AddComparison(value); break;
                case 'S': state.AddSyscalls(value); break;
                case 'p': state.SetPermissions(value); break;
                case 'k': state.AddKey(value); break;
                default:
                    throw new AuditRuleException($"{arg[..2]}: only rule definitions (-a, -w, -F, -C, -S, -p, -k) are supported");
            }
        }

        return state.Build();
    }

    /// <summary>Splits a rule line like a shell would for auditctl: whitespace separates, single or double quotes group.</summary>
    public static IReadOnlyList<string> Tokenize(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var tokens = new List<string>();
        var current = new StringBuilder();
        bool inToken = false;
        char quote = '\0';
        foreach (char c in line)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inToken = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inToken)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    inToken = false;
                }
            }
            else
            {
                current.Append(c);
                inToken = true;
            }
        }

        if (quote != '\0')
        {
            throw new AuditRuleException($"unterminated {quote} quote");
        }

        if (inToken)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    private sealed class State(AuditRuleParseOptions options)
    {
        private readonly uint[] _mask = new uint[AuditRule.MaskWords];
        private readonly List<AuditRuleField> _fields = [];
        private readonly List<string> _keys = [];
        private AuditFilterList? _list;
        private AuditRuleAction? _action;
        private uint? _arch;
        private bool _syscallAdded;
        private bool _permAdded;
        private bool _exeAdded;
        private bool _fsTypeAdded;

        public void SetListAndAction(string value)
        {
            if (_list is not null)
            {
                throw new AuditRuleException(_fields.Count > 0 && _fields[0].Id is AuditFieldIds.Watch or AuditFieldIds.Dir
                    ? "watch option can't be given with a syscall rule (-a)"
                    : "only one -a per rule");
            }

            string[] parts = value.Split(',');
            if (parts.Length != 2)
            {
                throw new AuditRuleException($"-a {value}: expected LIST,ACTION such as always,exit");
            }

            (AuditFilterList? list, AuditRuleAction? action) = (ParseList(parts[0]), ParseAction(parts[1]));
            if (list is null || action is null)
            {
                (list, action) = (ParseList(parts[1]), ParseAction(parts[0]));
            }

            if (parts.Contains("possible"))
            {
                throw new AuditRuleException("the 'possible' action is deprecated and not supported");
            }

            if (list is null || action is null)
            {
                throw new AuditRuleException($"-a {value}: lists are task, exit, user, exclude, filesystem; actions are always, never");
            }

            if (list == AuditFilterList.Task && _syscallAdded)
            {
                throw new AuditRuleException("syscall auditing requested for the task list");
            }

            _list = list;
            _action = action;
        }

        public void AddWatch(string path)
        {
            if (_list is not null)
            {
                throw new AuditRuleException("watch option can't be given with a syscall rule (-a)");
            }

            if (path.Length == 0 || path[0] != '/')
            {
                throw new AuditRuleException($"-w {path}: the watch path must be absolute");
            }

            // auditctl trims trailing slashes, then makes it a directory watch if the path is a directory.
            string trimmed = path.Length > 2 ? path.TrimEnd('/') : path;
            trimmed = trimmed.Length == 0 ? "/" : trimmed;
            uint id = options.IsDirectory(trimmed) ? AuditFieldIds.Dir : AuditFieldIds.Watch;
            _list = AuditFilterList.Exit;
            _action = AuditRuleAction.Always;
            _syscallAdded = true;
            _permAdded = true;
            Array.Fill(_mask, uint.MaxValue);
            AddField(new AuditRuleField(id, AuditOperator.Equal, 0, PathBytes(trimmed)));
            AddField(new AuditRuleField(AuditFieldIds.Perm, AuditOperator.Equal, AllPermissions));
        }

        public void SetPermissions(string value)
        {
            if (_list is null || _fields.Count == 0)
            {
                throw new AuditRuleException("-p needs a watch (-w) or rule fields before it");
            }

            uint perm = ParsePermissions(value);
            int existing = _fields.FindIndex(f => f.Id == AuditFieldIds.Perm);
            if (existing >= 0)
            {
                _fields[existing] = _fields[existing] with { Value = perm };
            }
            else
            {
                AddField(new AuditRuleField(AuditFieldIds.Perm, AuditOperator.Equal, perm));
            }

            _permAdded = true;
        }

        public void AddKey(string key)
        {
            if (_list is null || !(_syscallAdded || _permAdded || _exeAdded || _fsTypeAdded))
            {
                throw new AuditRuleException("key option needs a watch or syscall given prior to it");
            }

            if (key.Length == 0)
            {
                throw new AuditRuleException("empty key");
            }

            if (key.Contains('\x01', StringComparison.Ordinal))
            {
                throw new AuditRuleException($"key '{key}' contains the key separator 0x01");
            }

            _keys.Add(key);
            if (Encoding.UTF8.GetByteCount(string.Join('\x01', _keys)) > MaxKeyLength)
            {
                throw new AuditRuleException($"keys exceed {MaxKeyLength} bytes");
            }
        }

        public void AddSyscalls(string value)
        {
            AuditFilterList list = _list ?? throw new AuditRuleException("-S needs a list (-a) before it");
            if (list is AuditFilterList.Task or AuditFilterList.User or AuditFilterList.Filesystem or AuditFilterList.Exclude)
            {
                throw new AuditRuleException($"syscall auditing cannot be put on the {AuditRuleText.ListName(list)} list");
            }

            uint arch = _arch ??= options.MachineArch;
            foreach (string name in value.Split(','))
            {
                if (name == "all")
                {
                    Array.Fill(_mask, uint.MaxValue);
                    continue;
                }

                int number;
                if (SyscallTable.For(arch) is { } table && table.TryGetNumber(name, out number))
                {
                    // Found by name.
                }
                else if (name.Length > 0 && char.IsAsciiDigit(name[0]) && TryParseC(name, out long n) && n is >= 0 and < AuditRule.MaskWords * 32)
                {
                    number = (int)n;
                }
                else
                {
                    throw new AuditRuleException($"syscall '{name}' is unknown for arch {AuditArch.NameOf(arch) ?? $"0x{arch:x}"}");
                }

                _mask[number / 32] |= 1u << (number % 32);
            }

            _syscallAdded = true;
        }

        public void AddComparison(string pair)
        {
            _ = _list ?? throw new AuditRuleException("List must be given before field (-a before -C)");
            (string left, string right, AuditOperator op) = pair.Contains("!=", StringComparison.Ordinal)
                ? Split(pair, "!=", AuditOperator.NotEqual)
                : pair.Contains('=', StringComparison.Ordinal) ? Split(pair, "=", AuditOperator.Equal)
                : throw new AuditRuleException($"-C {pair}: only = and != compare fields");
            if (_list != AuditFilterList.Exit)
            {
                throw new AuditRuleException($"-C {pair}: field comparisons are only valid on the exit list");
            }

            uint value = FieldComparisons.ValueOf(left, right)
                ?? throw new AuditRuleException($"-C {pair}: '{left}' and '{right}' cannot be compared");
            AddField(new AuditRuleField(AuditFieldIds.FieldCompare, op, value));
        }

        public void AddField(string pair)
        {
            AuditFilterList list = _list ?? throw new AuditRuleException("List must be given before field (-a before -F)");
            (string name, string text, AuditOperator op) = SplitPair(pair);
            if (name == "key")
            {
                if (op != AuditOperator.Equal)
                {
                    throw new AuditRuleException($"-F {pair}: keys take =");
                }

                AddKey(text);
                return;
            }

            uint id = AuditFieldIds.IdOf(name) ?? throw new AuditRuleException($"-F {pair}: unknown field '{name}'");
            if (AuditFieldIds.IsExitOnly(id) && list != AuditFilterList.Exit)
            {
                throw new AuditRuleException($"-F {pair}: '{name}' is only valid on the exit list");
            }

            if (id == AuditFieldIds.MessageType && list is not (AuditFilterList.Exclude or AuditFilterList.User))
            {
                throw new AuditRuleException($"-F {pair}: msgtype is only valid on the exclude and user lists");
            }

            if (id is AuditFieldIds.Arch or AuditFieldIds.Exe or AuditFieldIds.Inode or AuditFieldIds.FsType
                && op is not (AuditOperator.Equal or AuditOperator.NotEqual))
            {
                throw new AuditRuleException($"-F {pair}: {name} takes only = or !=");
            }

            if (AuditFieldIds.IsString(id))
            {
                byte[] data = PathBytes(text);
                if (id == AuditFieldIds.Exe)
                {
                    _exeAdded = true;
                }

                if (id is AuditFieldIds.Watch or AuditFieldIds.Dir)
                {
                    _permAdded = true;
                }

                AddField(new AuditRuleField(id, op, 0, data));
                return;
            }

            AddField(new AuditRuleField(id, op, NumericValue(id, name, text, op, list)));
        }

        public AuditRule Build()
        {
            if (_list is not AuditFilterList list || _action is not AuditRuleAction action)
            {
                throw new AuditRuleException("no rule: give -a LIST,ACTION or -w PATH");
            }

            if (_keys.Count > 0)
            {
                AddField(new AuditRuleField(AuditFieldIds.FilterKey, AuditOperator.Equal, 0, Encoding.UTF8.GetBytes(string.Join('\x01', _keys))));
            }

            if (list != AuditFilterList.Task && !_syscallAdded)
            {
                Array.Fill(_mask, uint.MaxValue);
            }

            return new AuditRule(list, action, _mask, _fields.ToArray());
        }

        private uint NumericValue(uint id, string name, string text, AuditOperator op, AuditFilterList list)
        {
            string pair = name + AuditOperators.SymbolOf(op) + text;
            switch (id)
            {
                case AuditFieldIds.Arch:
                    if (_syscallAdded)
                    {
                        throw new AuditRuleException($"-F {pair}: the arch field must come before -S");
                    }

                    _arch = ParseArch(text, options.MachineArch) ?? throw new AuditRuleException($"-F {pair}: unknown or impossible arch on this machine");
                    return _arch.Value;
                case var _ when AuditFieldIds.IsUid(id):
                    return text == "unset" ? UnsetId : Number(pair, text, allowNegative: true, "a number or unset (user names are not looked up)");
                case var _ when AuditFieldIds.IsGid(id):
                    return Number(pair, text, allowNegative: false, "a number (group names are not looked up)");
                case AuditFieldIds.SessionId:
                    return text == "unset" ? UnsetId : Number(pair, text, allowNegative: true, "a number or unset");
                case AuditFieldIds.Exit:
                    if (TryParseC(text, out long exit))
                    {
                        return unchecked((uint)exit);
                    }

                    bool negative = text.StartsWith('-');
                    return ErrnoNames.TryGetNumber(negative ? text[1..] : text, out int errno)
                        ? unchecked((uint)(negative ? -errno : errno))
                        : throw new AuditRuleException($"-F {pair}: unknown errno name");
                case AuditFieldIds.MessageType:
                    return char.IsAsciiDigit(text[0]) ? Number(pair, text, allowNegative: false, "a number")
                        : AuditRecordTypeNames.TryGetType(Encoding.ASCII.GetBytes(text), out int type) ? (uint)type
                        : throw new AuditRuleException($"-F {pair}: unknown message type");
                case AuditFieldIds.Perm:
                    if (op != AuditOperator.Equal)
                    {
                        throw new AuditRuleException($"-F {pair}: perm takes only =");
                    }

                    _permAdded = true;
                    return ParsePermissions(text);
                case AuditFieldIds.FileType:
                    return FileTypeOf(text) ?? throw new AuditRuleException($"-F {pair}: file types are file, dir, socket, link, character, block, fifo");
                case AuditFieldIds.FsType:
                    if (list != AuditFilterList.Filesystem)
                    {
                        throw new AuditRuleException($"-F {pair}: fstype is only valid on the filesystem list");
                    }

                    _fsTypeAdded = true;
                    return char.IsAsciiDigit(text[0]) ? Number(pair, text, allowNegative: false, "a number")
                        : FsTypes.MagicOf(text) ?? throw new AuditRuleException($"-F {pair}: unknown file system type");
                case var _ when AuditFieldIds.IsArgument(id):
                    return Number(pair, text, allowNegative: true, "a number");
                case AuditFieldIds.SocketAddressFamily:
                    uint family = Number(pair, text, allowNegative: false, "a number");
                    return family < AddressFamilyMax ? family : throw new AuditRuleException($"-F {pair}: address family too big");
                default:
                    return Number(pair, text, allowNegative: false, "a number");
            }
        }

        private void AddField(AuditRuleField field)
        {
            if (_fields.Count >= AuditRule.MaxFields - 1)
            {
                throw new AuditRuleException($"too many fields (at most {AuditRule.MaxFields - 1})");
            }

            _fields.Add(field);
        }
    }

    private static (string Name, string Value, AuditOperator Op) SplitPair(string pair)
    {
        foreach ((string symbol, AuditOperator op) in AuditOperators.BySearchOrder)
        {
            int at = pair.IndexOf(symbol, StringComparison.Ordinal);
            if (at >= 0)
            {
                string name = pair[..at];
                string value = pair[(at + symbol.Length)..];
                return name.Length == 0 ? throw new AuditRuleException($"-F {pair}: missing field name")
                    : value.Length == 0 ? throw new AuditRuleException($"-F {pair}: missing value")
                    : (name, value, op);
            }
        }

        throw new AuditRuleException($"-F {pair}: missing operator (=, !=, <, >, <=, >=, &, &=)");
    }

    private static (string Left, string Right, AuditOperator Op) Split(string pair, string symbol, AuditOperator op)
    {
        int at = pair.IndexOf(symbol, StringComparison.Ordinal);
        string left = pair[..at], right = pair[(at + symbol.Length)..];
        return left.Length == 0 || right.Length == 0 ? throw new AuditRuleException($"-C {pair}: needs a field on each side") : (left, right, op);
    }

    private static AuditFilterList? ParseList(string s) => s switch
    {
        "task" => AuditFilterList.Task,
        "exit" => AuditFilterList.Exit,
        "user" => AuditFilterList.User,
        "exclude" => AuditFilterList.Exclude,
        "filesystem" => AuditFilterList.Filesystem,
        _ => null,
    };

    private static AuditRuleAction? ParseAction(string s) => s switch
    {
        "always" => AuditRuleAction.Always,
        "never" => AuditRuleAction.Never,
        _ => null,
    };

    /// <summary>auditctl's arch resolution: b64/b32 against the machine, a machine name, or a number (AUDIT_ARCH value).</summary>
    private static uint? ParseArch(string text, uint machine)
    {
        if (char.IsAsciiDigit(text[0]))
        {
            return TryParseC(text, out long n) && n is >= 0 and <= uint.MaxValue && AuditArch.IsKnownToAuditctl((uint)n) ? (uint)n : null;
        }

        bool machineIs64 = (machine & AuditArch.Is64BitFlag) != 0;
        return text.ToLowerInvariant() switch
        {
            "b64" => machineIs64 ? machine : null,
            "b32" => machineIs64 ? AuditArch.CompatOf(machine) : machine,
            _ => AuditArch.FromMachineName(text),
        };
    }

    private static uint ParsePermissions(string text)
    {
        if (text.Length is 0 or > 4)
        {
            throw new AuditRuleException($"permissions '{text}': one to four of r, w, x, a");
        }

        uint perm = 0;
        foreach (char c in text.ToLowerInvariant())
        {
            perm |= c switch
            {
                'r' => 4u,
                'w' => 2u,
                'x' => 1u,
                'a' => 8u,
                _ => throw new AuditRuleException($"permission '{c}' isn't supported (r, w, x, a)"),
            };
        }

        return perm;
    }

    private static uint? FileTypeOf(string name) => name switch
    {
        "file" => 0x8000,
        "dir" => 0x4000,
        "socket" => 0xC000,
        "link" => 0xA000,
        "character" => 0x2000,
        "block" => 0x6000,
        "fifo" => 0x1000,
        _ => null,
    };

    private static byte[] PathBytes(string text)
    {
        byte[] data = Encoding.UTF8.GetBytes(text);
        return data.Length <= MaxPathLength ? data : throw new AuditRuleException($"'{text[..32]}...' is longer than {MaxPathLength} bytes");
    }

    private static uint Number(string pair, string text, bool allowNegative, string expected)
    {
        bool looksNumeric = char.IsAsciiDigit(text[0]) || (allowNegative && text.Length >= 2 && text[0] == '-' && char.IsAsciiDigit(text[1]));
        return looksNumeric && TryParseC(text, out long n) && n is >= int.MinValue and <= uint.MaxValue
            ? unchecked((uint)n)
            : throw new AuditRuleException($"-F {pair}: the value must be {expected}");
    }

    /// <summary>A C integer literal as strtol(..., 0) reads it: decimal, 0x hex, 0 octal, optional minus.</summary>
    private static bool TryParseC(string text, out long value)
    {
        value = 0;
        bool negative = text.StartsWith('-');
        ReadOnlySpan<char> digits = negative ? text.AsSpan(1) : text;
        bool ok = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : digits.Length > 1 && digits[0] == '0'
                ? TryParseOctal(digits[1..], out value)
                : long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        value = negative ? -value : value;
        return ok;
    }

    private static bool TryParseOctal(ReadOnlySpan<char> digits, out long value)
    {
        value = 0;
        foreach (char c in digits)
        {
            if (c is < '0' or > '7' || value > (long.MaxValue >> 3))
            {
                return false;
            }

            value = (value << 3) | (long)(c - '0');
        }

        return !digits.IsEmpty;
    }
}
