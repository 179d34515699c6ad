import EvidenceModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a command's output file safely: never inside the knowledge base's directories, never over one of
/// its files, and atomically (a temporary file in the same directory, then a rename), so that a reader never
/// sees half a report.
enum OutputFile {
    /// Why an output path was refused or could not be written.
    struct Failure: Error {
        var message: String
    }

    static func write(_ text: String, to path: String, protecting directories: [String]) -> Result<Void, Failure> {
        write(to: path, protecting: directories) { emit in emit(text) }
    }

    /// Writes what `body` emits, piece by piece, to a temporary file that replaces `path` once `body` returns:
    /// a large output is never held whole.
    static func write(
        to path: String, protecting directories: [String], _ body: ((String) -> Void) -> Void
    ) -> Result<Void, Failure> {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        for directory in directories {
            let root = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
            if target.path == root || target.path.hasPrefix(root.hasSuffix("/") ? root : root + "/") {
                return .failure(
                    Failure(
                        message:
                            "refusing to write '\(path)': it is inside the knowledge base directory '\(directory)', "
                            + "which recommend never modifies"))
            }
        }
        if FileSystem.isDirectory(target.path) {
            return .failure(Failure(message: "cannot write '\(path)': it is a directory"))
        }
        let parent = target.deletingLastPathComponent()
        guard FileSystem.isDirectory(parent.path) else {
            return .failure(Failure(message: "cannot write '\(path)': the directory '\(parent.path)' does not exist"))
        }
        let temporary = parent.appendingPathComponent(
            ".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown)
            }
            let handle = try FileHandle(forWritingTo: temporary)
            var failure: (any Error)?
            body { piece in
                guard failure == nil else { return }
                do { try handle.write(contentsOf: Data(piece.utf8)) } catch { failure = error }
            }
            try handle.close()
            if let failure { throw failure }
            // rename(2) replaces the target atomically within one file system.
            guard rename(temporary.path, target.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                return .failure(Failure(message: "cannot write '\(path)': \(reason)"))
            }
            return .success(())
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            return .failure(Failure(message: "cannot write '\(path)': \(error.localizedDescription)"))
        }
    }
}
