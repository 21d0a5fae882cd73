using System.Globalization;
using System.Xml;

namespace KmodGuard.MacOS.Configuration;

/// <summary>
/// Reads XML property lists (Apple's plist DTD 1.0) into plain values: dict → <see cref="Dictionary{TKey,TValue}"/>
/// of string to object, array → <see cref="List{T}"/>, string, integer → long, real → double, true/false → bool,
/// date → <see cref="DateTimeOffset"/>, data → byte[]. Anything else is a <see cref="FormatException"/> naming the line.
/// </summary>
public static class XmlPlist
{
    /// <summary>Settings files and profiles are small; refuse anything that is clearly not one.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    public static object Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore, // the plist DOCTYPE names a DTD; never fetch or expand it
            XmlResolver = null,
            MaxCharactersInDocument = MaxBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
        };
        try
        {
            using var reader = XmlReader.Create(stream, settings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.Name != "plist")
            {
                throw Error(reader, "expected a <plist> document");
            }

            reader.Read();
            object value = ReadValue(reader);
            return value;
        }
        catch (XmlException e)
        {
            throw new FormatException($"not a well-formed property list: {e.Message}", e);
        }
    }

    public static object ParseFile(string path)
    {
        var info = new FileInfo(path);
        if (info.Exists && info.Length > MaxBytes)
        {
            throw new FormatException($"{path}: {info.Length} bytes is too large for a property list (limit {MaxBytes})");
        }

        using FileStream stream = File.OpenRead(path);
        return Parse(stream);
    }

    private static object ReadValue(XmlReader reader)
    {
        if (reader.NodeType != XmlNodeType.Element)
        {
            throw Error(reader, "expected a value element");
        }

        switch (reader.Name)
        {
            case "dict":
                return ReadDict(reader);
            case "array":
                return ReadArray(reader);
            case "true":
            case "false":
                bool b = reader.Name == "true";
                Skip(reader);
                return b;
            case "string":
                return ReadText(reader);
            case "integer":
                return long.TryParse(ReadText(reader), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)
                    ? l : throw Error(reader, "<integer> is not a 64-bit integer");
            case "real":
                return double.TryParse(ReadText(reader), NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
                    ? d : throw Error(reader, "<real> is not a number");
            case "date":
                return DateTimeOffset.TryParse(ReadText(reader), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset t)
                    ? t : throw Error(reader, "<date> is not an ISO 8601 date");
            case "data":
                try
                {
                    return Convert.FromBase64String(ReadText(reader));
                }
                catch (FormatException)
                {
                    throw Error(reader, "<data> is not base64");
                }

            default:
                throw Error(reader, $"unknown property list element <{reader.Name}>");
        }
    }

    private static Dictionary<string, object> ReadDict(XmlReader reader)
    {
        var dict = new Dictionary<string, object>(StringComparer.Ordinal);
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return dict;
        }

        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            if (reader.NodeType != XmlNodeType.Element || reader.Name != "key")
            {
                throw Error(reader, "expected <key> in <dict>");
            }

            string key = ReadText(reader);
            if (!dict.TryAdd(key, ReadValue(reader)))
            {
                throw Error(reader, $"duplicate key '{key}'");
            }
        }

        reader.Read();
        return dict;
    }

    private static List<object> ReadArray(XmlReader reader)
    {
        var list = new List<object>();
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return list;
        }

        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            list.Add(ReadValue(reader));
        }

        reader.Read();
        return list;
    }

    private static string ReadText(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return "";
        }

        return reader.ReadElementContentAsString();
    }

    private static void Skip(XmlReader reader)
    {
        bool empty = reader.IsEmptyElement;
        reader.Read();
        if (!empty)
        {
            reader.Read();
        }
    }

    private static FormatException Error(XmlReader reader, string message) =>
        new(reader is IXmlLineInfo info && info.HasLineInfo() ? $"line {info.LineNumber}: {message}" : message);
}
