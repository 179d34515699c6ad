import Foundation

var output = ""
var errors = ""
let status = RecommendTool.run(
    arguments: Array(CommandLine.arguments.dropFirst()), stdout: &output, stderr: &errors,
    terminal: Terminal.current(), stream: { FileHandle.standardOutput.write(Data($0)) })
FileHandle.standardOutput.write(Data(output.utf8))
FileHandle.standardError.write(Data(errors.utf8))
exit(status)
