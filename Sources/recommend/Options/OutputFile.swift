import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a command's output file safely (docs/robustness.md, "Writing outputs"):
///
/// - never inside the knowledge base's directories, judged on real paths: the output's folder, and the output
///   itself when it is a symbolic link, are resolved before the check, so a link into Rules/ is refused;
/// - a regular file (or a new one) is written to a temporary file created exclusively in the same real folder
///   (`O_CREAT | O_EXCL | O_NOFOLLOW`, a random name: a link planted in advance is never followed), then
///   renamed over the target, so that a reader never sees half a report;
/// - a character device or a FIFO (`/dev/null`, `/dev/stdout`, a named pipe) is written into as it is, never
///   replaced; a directory, socket or block device is refused.
enum OutputFile {
    /// Why an output path was refused or could not be written.
    struct Failure: Error {
        var message: String
    }

    static func write(_ text: String, to path: String, protecting directories: [String]) -> Result<Void, Failure> {
        write(to: path, protecting: directories) { emit in emit(text) }
    }

    /// Writes what `body` emits, piece by piece, to `path` (as above): a large output is never held whole.
    static func write(
        to path: String, protecting directories: [String], _ body: ((String) -> Void) -> Void
    ) -> Result<Void, Failure> {
        func failure(_ reason: String) -> Result<Void, Failure> {
            .failure(Failure(message: "cannot write '\(path)': \(reason)"))
        }
        guard !path.isEmpty else { return failure("the path is empty") }
        let target: Target
        switch resolve(path) {
        case .success(let resolved): target = resolved
        case .failure(let reason): return failure(reason.message)
        }
        if let real = target.realPath {
            for directory in directories {
                guard let root = realPath(directory) else { continue }
                if real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/") {
                    return .failure(
                        Failure(
                            message: "refusing to write '\(path)': it is inside the knowledge base directory "
                                + "'\(directory)', which recommend never modifies"
                                + (real == path ? "" : " (its real path is '\(real)')")))
                }
            }
        }
        switch target.kind {
        case .directory: return failure("it is a directory")
        case .other: return failure("it is neither a regular file, a character device nor a FIFO")
        case .stream:
            return writeStream(target.openPath, body).mapError {
                Failure(message: "cannot write '\(path)': \($0.message)")
            }
        case .file(let mode):
            return writeAtomically(target, mode: mode, body).mapError {
                Failure(message: "cannot write '\(path)': \($0.message)")
            }
        }
    }

    /// What the output path names, once resolved.
    private struct Target {
        enum Kind {
            /// A regular file (with its permission bits) or none yet (`nil`).
            case file(mode: mode_t?)
            /// A character device or a FIFO: written into, never replaced.
            case stream
            case directory
            case other
        }

        var kind: Kind
        /// The real path of the output (its real folder and its name), when it can be known; a stream such as
        /// `/dev/fd/3` may have none.
        var realPath: String?
        /// The path to open for a stream.
        var openPath: String
        /// The real folder and the name in it, for a regular file.
        var folder: String
        var name: String
    }

    private static func resolve(_ path: String) -> Result<Target, Failure> {
        var status = stat()
        // What the path finally names, links followed.
        if stat(path, &status) == 0 {
            let type = status.st_mode & S_IFMT
            if type == S_IFCHR || type == S_IFIFO {
                return .success(Target(kind: .stream, realPath: realPath(path), openPath: path, folder: "", name: ""))
            }
            if type == S_IFDIR {
                return .success(
                    Target(kind: .directory, realPath: realPath(path), openPath: path, folder: "", name: ""))
            }
            if type != S_IFREG {
                return .success(Target(kind: .other, realPath: realPath(path), openPath: path, folder: "", name: ""))
            }
            // An existing regular file, perhaps through links: replace the file the links lead to.
            guard let real = realPath(path) else { return .failure(Failure(message: errnoDescription())) }
            let (folder, name) = split(real)
            return .success(
                Target(
                    kind: .file(mode: status.st_mode & 0o7777), realPath: real, openPath: real, folder: folder,
                    name: name))
        }
        if errno != ENOENT { return .failure(Failure(message: errnoDescription())) }
        var linkStatus = stat()
        if lstat(path, &linkStatus) == 0 {
            return .failure(Failure(message: "it is a symbolic link to a file that does not exist"))
        }
        let (parent, name) = split(path)
        guard !name.isEmpty, name != ".", name != ".." else { return .failure(Failure(message: "it is a directory")) }
        guard let folder = realPath(parent.isEmpty ? "." : parent) else {
            return .failure(
                Failure(
                    message: errno == ENOENT || errno == ENOTDIR
                        ? "the directory '\(parent)' does not exist"
                        : "the directory '\(parent)': \(errnoDescription())"))
        }
        let real = (folder == "/" ? "" : folder) + "/" + name
        return .success(Target(kind: .file(mode: nil), realPath: real, openPath: real, folder: folder, name: name))
    }

    /// Writes into a character device or FIFO as it is.
    private static func writeStream(_ path: String, _ body: ((String) -> Void) -> Void) -> Result<Void, Failure> {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(Failure(message: errnoDescription())) }
        let written = writeAll(descriptor, body)
        close(descriptor)
        return written
    }

    /// Writes a temporary file created exclusively in the target's real folder, then renames it over the
    /// target if the target is still absent or a regular file.
    private static func writeAtomically(_ target: Target, mode: mode_t?, _ body: ((String) -> Void) -> Void)
        -> Result<Void, Failure>
    {
        var generator = SystemRandomNumberGenerator()
        var descriptor: Int32 = -1
        var temporary = ""
        for _ in 0..<100 {
            let suffix = String(generator.next() as UInt64, radix: 36)
            temporary = (target.folder == "/" ? "" : target.folder) + "/.\(target.name).\(suffix).tmp"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode ?? 0o666)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else {
            return .failure(
                Failure(message: "cannot create a temporary file in '\(target.folder)': \(errnoDescription())"))
        }
        // An existing file keeps its permissions (a new one gets 0666 less the umask, as a shell would give it).
        if let mode { fchmod(descriptor, mode) }
        var result = writeAll(descriptor, body)
        if close(descriptor) != 0, case .success = result { result = .failure(Failure(message: errnoDescription())) }
        if case .success = result {
            var status = stat()
            if lstat(target.openPath, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
                result = .failure(
                    Failure(message: "it was replaced by something other than a regular file while writing"))
            } else if rename(temporary, target.openPath) != 0 {
                result = .failure(Failure(message: errnoDescription()))
            }
        }
        if case .failure = result { unlink(temporary) }
        return result
    }

    /// Writes every piece `body` emits to `descriptor`; the first failure stops the writing.
    private static func writeAll(_ descriptor: Int32, _ body: ((String) -> Void) -> Void) -> Result<Void, Failure> {
        var failure: Failure?
        body { piece in
            guard failure == nil, !FileDescriptor.writeAll(descriptor, piece) else { return }
            failure = Failure(message: errnoDescription())
        }
        return failure.map { .failure($0) } ?? .success(())
    }

    /// The real path of an existing file or directory (links, `.` and `..` resolved), or `nil` (with `errno`).
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The folder (without its final "/", "/" for the root) and the last component of `path`.
    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// The current `errno`, in words.
    private static func errnoDescription() -> String {
        String(cString: strerror(errno)).lowercased()
    }
}
