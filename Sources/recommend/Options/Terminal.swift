#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the tool knows about where its output goes: whether to colour stdout and stderr.
struct Terminal: Sendable {
    /// Colour stdout (a terminal, and `NO_COLOR` unset).
    var colorsStdout: Bool
    /// Colour stderr (a terminal, and `NO_COLOR` unset).
    var colorsStderr: Bool

    /// The width of the terminal stdout is, in columns; `nil` when it is not a terminal.
    var width: Int? = nil
    /// Whether stderr is a terminal (progress is shown only there).
    var stderrIsTerminal = false

    /// No colour anywhere: what tests and pipes get.
    static let plain = Terminal(colorsStdout: false, colorsStderr: false)

    /// Reads the process's environment and file descriptors.
    static func current() -> Terminal {
        let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        var size = winsize()
        let width = isatty(1) == 1 && ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : nil
        return Terminal(
            colorsStdout: !noColor && isatty(1) == 1, colorsStderr: !noColor && isatty(2) == 1, width: width,
            stderrIsTerminal: isatty(2) == 1)
    }
}

/// ANSI styling that is applied only when colour is on.
struct Style {
    var enabled: Bool

    func bold(_ text: String) -> String { enabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func red(_ text: String) -> String { enabled ? "\u{1B}[1;31m\(text)\u{1B}[0m" : text }
    func yellow(_ text: String) -> String { enabled ? "\u{1B}[1;33m\(text)\u{1B}[0m" : text }
    func cyan(_ text: String) -> String { enabled ? "\u{1B}[1;36m\(text)\u{1B}[0m" : text }
    func green(_ text: String) -> String { enabled ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { enabled ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
}
