using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.Core.Options;

/// <summary>
/// What every trainer builder shares (see <c>docs/conventions.md</c>): the options set so far, <see cref="WithOptions"/>
/// to start from a whole options record, and <see cref="WithLoggerFactory"/>. A builder adds its fluent setters, each
/// a <c>with</c> expression passed to <see cref="Set"/>, and a <c>Build()</c> that validates the options.
/// </summary>
/// <typeparam name="TBuilder">The builder itself, so that the shared methods return it for chaining.</typeparam>
/// <typeparam name="TOptions">Its options record.</typeparam>
public abstract class TrainerBuilder<TBuilder, TOptions>
    where TBuilder : TrainerBuilder<TBuilder, TOptions>
    where TOptions : class
{
    /// <summary>Starts from <paramref name="defaults"/> and a factory that logs nothing.</summary>
    /// <param name="defaults">The options a new builder holds, usually <c>new TOptions()</c>.</param>
    protected TrainerBuilder(TOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        Options = defaults;
    }

    /// <summary>The options set so far, not yet validated.</summary>
    protected TOptions Options { get; private set; }

    /// <summary>Where the trainer logs; <see cref="NullLoggerFactory"/> until <see cref="WithLoggerFactory"/>.</summary>
    protected ILoggerFactory LoggerFactory { get; private set; } = NullLoggerFactory.Instance;

    /// <summary>Starts from existing options (for example those a model or result recorded) instead of the defaults.</summary>
    /// <param name="options">The options; validated by <c>Build()</c>, so a record made with <c>with</c> is checked too.</param>
    /// <returns>This builder.</returns>
    public TBuilder WithOptions(TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Set(options);
    }

    /// <summary>Logs the start, the progress and the end of training through <paramref name="loggerFactory"/>.</summary>
    /// <param name="loggerFactory">The factory; the default logs nothing.</param>
    /// <returns>This builder.</returns>
    public TBuilder WithLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        LoggerFactory = loggerFactory;
        return (TBuilder)this;
    }

    /// <summary>Replaces the options; fluent setters call it with <c>Options with { … }</c>.</summary>
    /// <param name="options">The new options.</param>
    /// <returns>This builder.</returns>
    protected TBuilder Set(TOptions options)
    {
        Options = options;
        return (TBuilder)this;
    }
}
