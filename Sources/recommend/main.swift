import Foundation

var output = ""
var errors = ""
let status = RecommendTool.run(
    arguments: Array(CommandLine.arguments.dropFirst()), stdout: &output, stderr: &errors,
    terminal: Terminal.current(),
    // Straight from the buffer, without a copy into Data: a JSON ranking may be gigabytes.
    stream: { bytes in _ = bytes.withUnsafeBytes { FileDescriptor.writeAll(1, $0) } })
FileDescriptor.writeAll(1, output)
FileDescriptor.writeAll(2, errors)
exit(status)
