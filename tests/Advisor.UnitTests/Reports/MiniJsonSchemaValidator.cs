using System.Globalization;
using System.Text.Json;

namespace Advisor.UnitTests.Reports;

/// <summary>
/// Just enough JSON Schema (draft 2020-12) to check reports against schemas/report.schema.json, since no
/// validator package is available offline. It supports the keywords that schema uses — type, properties,
/// required, additionalProperties (false or a schema), items, enum, const, minimum, and $ref into $defs —
/// and throws on any other, so a keyword it does not understand cannot make a broken report pass.
/// </summary>
internal sealed class MiniJsonSchemaValidator
{
    // Annotations and containers: they never make an instance invalid.
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "$schema", "$id", "title", "description", "$defs" };

    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "minimum", "$ref",
    };

    private readonly JsonElement root;

    public MiniJsonSchemaValidator(JsonElement schema) => root = schema;

    /// <summary>Every violation, each as "JSON path: problem"; empty when the instance is valid.</summary>
    public IReadOnlyList<string> Validate(JsonElement instance)
    {
        var errors = new List<string>();
        Check(root, instance, "$", errors);
        return errors;
    }

    private void Check(JsonElement schema, JsonElement instance, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }

        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: not allowed");
            return;
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            if (!Ignored.Contains(keyword.Name) && !Supported.Contains(keyword.Name))
            {
                throw new NotSupportedException($"MiniJsonSchemaValidator does not support the keyword \"{keyword.Name}\".");
            }
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(Resolve(reference.GetString()!), instance, path, errors);
        }

        if (schema.TryGetProperty("type", out var type) && !HasType(instance, type.GetString()!))
        {
            errors.Add($"{path}: expected {type.GetString()}, found {instance.ValueKind}");
            return; // the remaining keywords would only repeat the same complaint
        }

        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(instance, constant))
        {
            errors.Add($"{path}: expected {constant.GetRawText()}, found {instance.GetRawText()}");
        }

        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(instance, a)))
        {
            errors.Add($"{path}: {instance.GetRawText()} is not one of {allowed.GetRawText()}");
        }

        if (schema.TryGetProperty("minimum", out var minimum) && instance.ValueKind == JsonValueKind.Number
            && instance.GetDouble() < minimum.GetDouble())
        {
            errors.Add($"{path}: {instance.GetRawText()} is below the minimum {minimum.GetRawText()}");
        }

        if (instance.ValueKind == JsonValueKind.Object)
        {
            CheckObject(schema, instance, path, errors);
        }

        if (instance.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in instance.EnumerateArray())
            {
                Check(items, item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), errors);
            }
        }
    }

    private void CheckObject(JsonElement schema, JsonElement instance, string path, List<string> errors)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(n => n.GetString()!))
            {
                if (!instance.TryGetProperty(name, out _))
                {
                    errors.Add($"{path}: missing required property \"{name}\"");
                }
            }
        }

        var hasProperties = schema.TryGetProperty("properties", out var properties);
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in instance.EnumerateObject())
        {
            var propertyPath = $"{path}.{property.Name}";
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Check(propertySchema, property.Value, propertyPath, errors);
            }
            else if (hasAdditional && additional.ValueKind == JsonValueKind.False)
            {
                errors.Add($"{propertyPath}: unknown property");
            }
            else if (hasAdditional)
            {
                Check(additional, property.Value, propertyPath, errors);
            }
        }
    }

    private JsonElement Resolve(string reference)
    {
        const string Prefix = "#/$defs/";
        if (!reference.StartsWith(Prefix, StringComparison.Ordinal)
            || !root.TryGetProperty("$defs", out var definitions)
            || !definitions.TryGetProperty(reference[Prefix.Length..], out var target))
        {
            throw new NotSupportedException($"MiniJsonSchemaValidator cannot resolve \"{reference}\"; only #/$defs/<name> is supported.");
        }

        return target;
    }

    private static bool HasType(JsonElement instance, string type) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        "number" => instance.ValueKind == JsonValueKind.Number,

        // In 2020-12 an integer is any number with no fractional part, so 1.0 counts.
        "integer" => instance.ValueKind == JsonValueKind.Number && double.IsInteger(instance.GetDouble()),
        _ => throw new NotSupportedException($"MiniJsonSchemaValidator does not know the type \"{type}\"."),
    };
}
