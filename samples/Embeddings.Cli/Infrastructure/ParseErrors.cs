using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// Turns what System.CommandLine found wrong with the command line into one sentence for the user, worked out from
/// the parse (which option, which value, which type) rather than from the library's messages, which name .NET types.
/// </summary>
internal static class ParseErrors
{
    public static string Describe(ParseResult parse)
    {
        // A misspelt option comes first: it explains the rest (its value is left over, a required option looks missing).
        if (parse.UnmatchedTokens.Count > 0)
        {
            return Unmatched(parse.UnmatchedTokens[0], parse.CommandResult);
        }

        ParseError error = parse.Errors[0];
        string[] missing = [.. parse.Errors.Select(e => e.SymbolResult).OfType<OptionResult>()
            .Where(o => o.Implicit && o.Option.Required).Select(o => o.Option.Name).Distinct()];
        if (error.SymbolResult is OptionResult { Implicit: true, Option.Required: true } && missing.Length > 0)
        {
            return $"missing {Suggestions.Join(missing, "and")} (required by '{parse.CommandResult.Command.Name}')";
        }

        return error.SymbolResult switch
        {
            OptionResult option => ForValue(option.Option.Name, option.Option.Name.TrimStart('-'), option.Option.ValueType, option.Option.Arity, option.Tokens, option.Option, error.Message),
            ArgumentResult { Argument: { Arity.MinimumNumberOfValues: var least } needed } argument
                when argument.Parent is CommandResult command && argument.Tokens.Count < least =>
                least == 1 ? $"'{command.Command.Name}' needs {needed.Name}" : $"'{command.Command.Name}' needs {least} {needed.Name} (got {argument.Tokens.Count})",
            ArgumentResult argument when argument.Parent is CommandResult command => ForValue(
                $"'{command.Command.Name}' {argument.Argument.Name}", argument.Argument.Name, argument.Argument.ValueType, argument.Argument.Arity, argument.Tokens, argument.Argument, error.Message),
            CommandResult command when command.Command.Subcommands.Count > 0 && command.Tokens.Count == 0 =>
                "no command given; run 'embeddings --help' to list them",
            _ => error.Message,
        };
    }

    /// <summary>A word nothing expected: a misspelt command or option, or a value with no option before it.</summary>
    private static string Unmatched(string token, CommandResult command)
    {
        if (token.StartsWith('-'))
        {
            // --dimm=5 and --dimm:5 name the option before the separator.
            string name = token.Split('=', ':')[0];
            string? closest = Suggestions.Closest(name, OptionNames(command));
            string where = command.Parent is null ? string.Empty : $" for '{command.Command.Name}'";
            return closest is not null
                ? $"unknown option '{name}'{where}; did you mean '{closest}'?"
                : $"unknown option '{name}'{where}; run 'embeddings{(command.Parent is null ? string.Empty : " " + command.Command.Name)} --help' to list the options";
        }

        if (command.Parent is null && command.Command.Subcommands.Count > 0)
        {
            string? closest = Suggestions.Closest(token, command.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            return closest is not null
                ? $"unknown command '{token}'; did you mean '{closest}'?"
                : $"unknown command '{token}'; run 'embeddings --help' to list the commands";
        }

        return $"unexpected argument '{token}' for '{command.Command.Name}'; values follow their option (run 'embeddings {command.Command.Name} --help')";
    }

    /// <summary>What is wrong with the value(s) given to an option or argument: missing, too many, not a number, not among the choices.</summary>
    private static string ForValue(string label, string what, Type valueType, ArgumentArity arity, IReadOnlyList<Token> tokens, Symbol symbol, string fallback)
    {
        if (tokens.Count < arity.MinimumNumberOfValues)
        {
            return arity.MinimumNumberOfValues == 1 ? $"{label} needs a value" : $"{label} needs {arity.MinimumNumberOfValues} values (got {tokens.Count})";
        }

        if (tokens.Count > arity.MaximumNumberOfValues)
        {
            return $"{label} takes {(arity.MaximumNumberOfValues == 1 ? "one value" : $"at most {arity.MaximumNumberOfValues} values")} (got {string.Join(" ", tokens.Select(t => $"'{t.Value}'"))})";
        }

        Type type = valueType.IsArray ? valueType.GetElementType()! : valueType;
        type = Nullable.GetUnderlyingType(type) ?? type;
        foreach (Token token in tokens)
        {
            if (NumberProblem(type, token.Value) is { } problem)
            {
                return $"{label}: '{token.Value}' {problem}";
            }

            string[] choices = [.. symbol.GetCompletions(CompletionContext.Empty).Select(c => c.Label)];
            if (type == typeof(string) && choices.Length > 0 && !choices.Contains(token.Value, StringComparer.Ordinal))
            {
                return Suggestions.UnknownValue(what, token.Value, choices);
            }
        }

        return fallback; // a validator of ours, already worded for the user
    }

    /// <summary>Why <paramref name="text"/> is not a value of a numeric or boolean <paramref name="type"/>, or <see langword="null"/> when it is one (or the type is neither).</summary>
    private static string? NumberProblem(Type type, string text)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        if (type == typeof(bool))
        {
            return bool.TryParse(text, out _) ? null : "is not true or false";
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return double.TryParse(text, NumberStyles.Float, invariant, out _) ? null : "is not a number";
        }

        if (IntegerRange(type) is not { } range)
        {
            return null;
        }

        if (!BigInteger.TryParse(text, NumberStyles.Integer, invariant, out BigInteger value))
        {
            return "is not a whole number";
        }

        return value < range.Min ? (range.Min.IsZero ? "is negative; give 0 or more" : $"is too small (the least is {range.Min})")
            : value > range.Max ? $"is too large (the most is {range.Max})"
            : null;
    }

    private static (BigInteger Min, BigInteger Max)? IntegerRange(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Byte => (new BigInteger(byte.MinValue), new BigInteger(byte.MaxValue)),
        TypeCode.Int16 => (new BigInteger(short.MinValue), new BigInteger(short.MaxValue)),
        TypeCode.UInt16 => (new BigInteger(ushort.MinValue), new BigInteger(ushort.MaxValue)),
        TypeCode.Int32 => (new BigInteger(int.MinValue), new BigInteger(int.MaxValue)),
        TypeCode.UInt32 => (new BigInteger(uint.MinValue), new BigInteger(uint.MaxValue)),
        TypeCode.Int64 => (new BigInteger(long.MinValue), new BigInteger(long.MaxValue)),
        TypeCode.UInt64 => (new BigInteger(ulong.MinValue), new BigInteger(ulong.MaxValue)),
        _ => null,
    };

    /// <summary>The options a command accepts: its own and those its ancestors share with it (--verbose, --help).</summary>
    private static IEnumerable<string> OptionNames(CommandResult command)
    {
        for (SymbolResult? result = command; result is not null; result = result.Parent)
        {
            if (result is CommandResult { Command: var c })
            {
                foreach (Option option in c.Options.Where(o => !o.Hidden && (o.Recursive || result == command)))
                {
                    yield return option.Name;
                    foreach (string alias in option.Aliases.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
                    {
                        yield return alias;
                    }
                }
            }
        }
    }
}
