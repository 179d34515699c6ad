import Foundation

/// The evidence files of DESIGN §4, as bytes with the paths they were read from.
public struct EvidenceFiles: Sendable {
    /// The file names an evidence directory must contain, in the order they are read.
    public static let fileNames = ["references.tsv", "secretome.tsv", "function.tsv", "mechanisms.tsv"]

    /// The file an evidence directory may contain: a knowledge base without head-to-head findings has none.
    public static let optionalFileName = "comparisons.tsv"

    /// references.tsv.
    public var references: (path: String, bytes: [UInt8])
    /// secretome.tsv.
    public var secretome: (path: String, bytes: [UInt8])
    /// function.tsv.
    public var functions: (path: String, bytes: [UInt8])
    /// mechanisms.tsv.
    public var mechanisms: (path: String, bytes: [UInt8])
    /// comparisons.tsv; `nil` when the directory has none.
    public var comparisons: (path: String, bytes: [UInt8])?

    /// Creates the file set from contents already in memory.
    public init(
        references: (path: String, bytes: [UInt8]), secretome: (path: String, bytes: [UInt8]),
        functions: (path: String, bytes: [UInt8]), mechanisms: (path: String, bytes: [UInt8]),
        comparisons: (path: String, bytes: [UInt8])? = nil
    ) {
        self.references = references
        self.secretome = secretome
        self.functions = functions
        self.mechanisms = mechanisms
        self.comparisons = comparisons
    }

    /// Every file present, in reading order: the four required ones, then comparisons.tsv if there is one.
    public var all: [(path: String, bytes: [UInt8])] {
        [references, secretome, functions, mechanisms] + (comparisons.map { [$0] } ?? [])
    }

    /// Reads the files from `directory`. Returns `nil` and the reasons when the directory or a required file
    /// is missing, or a file is unreadable; a missing comparisons.tsv is no error.
    public static func read(directory: String) -> (files: EvidenceFiles?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        guard FileSystem.isDirectory(directory) else {
            let what = FileSystem.exists(directory) ? "is not a directory" : "does not exist"
            return (
                nil,
                [
                    .error(
                        .e300,
                        "evidence directory '\(directory)' \(what); "
                            + "pass the directory with references.tsv, secretome.tsv, function.tsv and "
                            + "mechanisms.tsv (and, optionally, comparisons.tsv) using --evidence DIR", at: nil)
                ]
            )
        }
        var contents: [(String, [UInt8])] = []
        for name in fileNames {
            let path = FileSystem.join(directory, name)
            switch FileSystem.readFile(path) {
            case .success(let bytes): contents.append((path, bytes))
            case .failure(let failure): diagnostics.append(.error(.e301, failure.description, at: nil))
            }
        }
        var comparisons: (path: String, bytes: [UInt8])?
        let comparisonsPath = FileSystem.join(directory, optionalFileName)
        if FileSystem.exists(comparisonsPath) || FileSystem.isSymbolicLink(comparisonsPath) {
            switch FileSystem.readFile(comparisonsPath) {
            case .success(let bytes): comparisons = (comparisonsPath, bytes)
            case .failure(let failure): diagnostics.append(.error(.e301, failure.description, at: nil))
            }
        }
        guard diagnostics.isEmpty, contents.count == 4 else { return (nil, diagnostics) }
        return (
            EvidenceFiles(
                references: contents[0], secretome: contents[1], functions: contents[2], mechanisms: contents[3],
                comparisons: comparisons),
            []
        )
    }
}

/// The few file-system operations the loaders need, with messages fit for a diagnostic.
public enum FileSystem {
    /// Whether `path` names an existing directory.
    public static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Whether anything exists at `path` (a symbolic link counts by what it points to).
    public static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// Whether `path` is a symbolic link, dangling or not.
    public static func isSymbolicLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
    }

    /// `directory/name`, without doubling a trailing slash.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The bytes of the regular file at `path`, or a message saying why they cannot be had.
    public static func readFile(_ path: String) -> Result<[UInt8], ReadFailureMessage> {
        if isDirectory(path) { return .failure(ReadFailureMessage("'\(path)' is a directory, not a file")) }
        guard exists(path) else { return .failure(ReadFailureMessage("missing file '\(path)'")) }
        guard let bytes = readRegularFile(path) else {
            return .failure(ReadFailureMessage("cannot read '\(path)': permission denied or not a regular file"))
        }
        return .success(bytes)
    }

    /// The bytes of a regular file, read straight into one array (no intermediate `Data`, so a large file
    /// is held once); `nil` if it cannot be opened or read or is not a regular file.
    private static func readRegularFile(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        let size = Int(status.st_size)
        var failed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            while count < size {
                let got = read(descriptor, buffer.baseAddress.map { $0 + count }, size - count)
                if got < 0, errno == EINTR { continue }
                guard got > 0 else {
                    failed = got < 0
                    break
                }
                count += got
            }
        }
        guard !failed else { return nil }
        // A file that grew while being read: read the rest too.
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else {
                if got < 0 { return nil }
                break
            }
            bytes += chunk[..<got]
        }
        return bytes
    }

    /// The names of the entries of `directory` that end in `suffix`, sorted by their UTF-8 bytes.
    public static func files(in directory: String, withSuffix suffix: String) -> [String]? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        return names.filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}

/// A message explaining why a file could not be read.
public struct ReadFailureMessage: Error, Sendable, CustomStringConvertible {
    /// The message.
    public var description: String

    /// Wraps a message.
    public init(_ description: String) { self.description = description }
}
