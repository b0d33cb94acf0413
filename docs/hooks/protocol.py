"""MkDocs hook: the protocol reference, generated from proto/.

protoc (from grpcio-tools) compiles each folder of .proto files into a
descriptor set with source info; the comments in it become the text of one
page per folder: services and their RPCs, messages and their fields, enums.
"""

import tempfile
from importlib import resources
from pathlib import Path

from google.protobuf import descriptor_pb2
from grpc_tools import protoc
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# Page -> (title, the folder's include root under proto/, the folder of its files).
PAGES = {
    "protocol/v1.md": ("pynq-remote protocol (pynq_remote.v1)", ".", "pynq_remote/v1"),
    "protocol/compat.md": ("PYNQ.remote protocol (compatibility)", "pynq_remote_compat", "."),
}

# Field numbers of descriptor.proto, as SourceCodeInfo paths use them.
FILE_MESSAGES, FILE_ENUMS, FILE_SERVICES, FILE_SYNTAX = 4, 5, 6, 12
MESSAGE_FIELDS, MESSAGE_NESTED, MESSAGE_ENUMS = 2, 3, 4
ENUM_VALUES, SERVICE_METHODS = 2, 2

SCALARS = {getattr(descriptor_pb2.FieldDescriptorProto, name): name[5:].lower()
           for name in descriptor_pb2.FieldDescriptorProto.Type.keys()}


def on_files(files, config):
    proto_root = Path(config.config_file_path).parent / "proto"
    sets = {page: compile_folder(proto_root, root, folder)
            for page, (_, root, folder) in PAGES.items()}
    anchors = {name: f"{page}#{name[1:]}" for page, fds in sets.items()
               for name in type_names(fds)}
    for page, fds in sets.items():
        text = render_page(PAGES[page][0], fds, anchors, page)
        files.append(File.generated(config, page, content=text))
    files.append(File.generated(config, "protocol/index.md", content=render_index(sets)))
    return files


def compile_folder(proto_root, root, folder):
    include = proto_root / root
    sources = sorted(str(p.relative_to(include)) for p in (include / folder).glob("*.proto"))
    if not sources:
        raise PluginError(f"protocol hook: no .proto files in {include / folder}")
    well_known = resources.files("grpc_tools") / "_proto"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "descriptors.pb"
        code = protoc.main(["protoc", f"-I{include}", f"-I{proto_root}", f"-I{well_known}",
                            "--include_source_info", f"--descriptor_set_out={out}", *sources])
        if code != 0:
            raise PluginError(f"protocol hook: protoc failed ({code}) on {include / folder}")
        return descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())


def type_names(fds):
    """Every message and enum of the set, by full name with a leading dot."""
    for file in fds.file:
        prefix = f".{file.package}" if file.package else ""
        for message in file.message_type:
            yield from message_names(message, prefix)
        for enum in file.enum_type:
            yield f"{prefix}.{enum.name}"


def message_names(message, prefix):
    name = f"{prefix}.{message.name}"
    yield name
    for nested in message.nested_type:
        if not nested.options.map_entry:
            yield from message_names(nested, name)
    for enum in message.enum_type:
        yield f"{name}.{enum.name}"


class Comments:
    """The comments of one file, looked up by SourceCodeInfo path."""

    def __init__(self, file):
        self.by_path = {tuple(loc.path): loc.leading_comments or loc.trailing_comments
                        for loc in file.source_code_info.location}
        # The file's own comment: the blocks above `syntax = ...`.
        blocks = [block for loc in file.source_code_info.location
                  if tuple(loc.path) == (FILE_SYNTAX,)
                  for block in [*loc.leading_detached_comments, loc.leading_comments]]
        self.header = "\n\n".join(clean(block) for block in blocks if block.strip())

    def block(self, path):
        return clean(self.by_path.get(tuple(path), ""))

    def cell(self, path):
        return " ".join(self.block(path).split()).replace("|", "\\|")


def clean(comment):
    return "\n".join(line.strip() for line in comment.splitlines()).strip()


def render_index(sets):
    lines = ["# Protocol reference", "",
             "The wire contract lives in `proto/`: every service, message and field below is "
             "generated from the `.proto` files and their comments when the site is built.", ""]
    for page, fds in sets.items():
        lines += [f"## [{PAGES[page][0]}]({Path(page).name})", "",
                  "| service | file | RPCs |", "| --- | --- | --- |"]
        for file in fds.file:
            for service in file.service:
                anchor = f"{file.package}.{service.name}".lstrip(".")
                lines.append(f"| [`{service.name}`]({Path(page).name}#{anchor}) | "
                             f"`{file.name}` | {len(service.method)} |")
        lines.append("")
    return "\n".join(lines)


def render_page(title, fds, anchors, page):
    lines = [f"# {title}", ""]
    for file in fds.file:
        lines += render_file(file, anchors, page)
    return "\n".join(lines)


def render_file(file, anchors, page):
    comments = Comments(file)
    prefix = f"{file.package}." if file.package else ""
    lines = [f"## {file.name}", "", comments.header, "", f"Package `{file.package}`.", ""]
    for index, service in enumerate(file.service):
        lines += render_service(service, prefix, comments, [FILE_SERVICES, index], anchors, page)
    for index, message in enumerate(file.message_type):
        lines += render_message(message, prefix, comments, [FILE_MESSAGES, index], anchors, page)
    for index, enum in enumerate(file.enum_type):
        lines += render_enum(enum, prefix, comments, [FILE_ENUMS, index])
    return lines


def render_service(service, prefix, comments, path, anchors, page):
    lines = [f"### service {service.name} {{#{prefix}{service.name}}}", "",
             comments.block(path), "", "| RPC | request | response | does |",
             "| --- | --- | --- | --- |"]
    for index, method in enumerate(service.method):
        request = type_link(method.input_type, anchors, page)
        response = type_link(method.output_type, anchors, page)
        if method.client_streaming:
            request = f"stream {request}"
        if method.server_streaming:
            response = f"stream {response}"
        lines.append(f"| `{method.name}` | {request} | {response} | "
                     f"{comments.cell([*path, SERVICE_METHODS, index])} |")
    return lines + [""]


def render_message(message, prefix, comments, path, anchors, page):
    full_name = f"{prefix}{message.name}"
    lines = [f"### {message.name} {{#{full_name}}}", "", comments.block(path), ""]
    if message.field:
        lines += ["| field | number | type | meaning |", "| --- | --- | --- | --- |"]
        for index, field in enumerate(message.field):
            kind = field_type(field, message, anchors, page)
            lines.append(f"| `{field.name}` | {field.number} | {kind} | "
                         f"{comments.cell([*path, MESSAGE_FIELDS, index])} |")
        lines.append("")
    for index, nested in enumerate(message.nested_type):
        if not nested.options.map_entry:
            lines += render_message(nested, f"{full_name}.", comments,
                                    [*path, MESSAGE_NESTED, index], anchors, page)
    for index, enum in enumerate(message.enum_type):
        lines += render_enum(enum, f"{full_name}.", comments, [*path, MESSAGE_ENUMS, index])
    return lines


def render_enum(enum, prefix, comments, path):
    lines = [f"### enum {enum.name} {{#{prefix}{enum.name}}}", "", comments.block(path), "",
             "| value | number | meaning |", "| --- | --- | --- |"]
    for index, value in enumerate(enum.value):
        lines.append(f"| `{value.name}` | {value.number} | "
                     f"{comments.cell([*path, ENUM_VALUES, index])} |")
    return lines + [""]


def field_type(field, message, anchors, page):
    labels = []
    if field.label == field.LABEL_REPEATED:
        labels.append("repeated")
    elif field.proto3_optional:
        labels.append("optional")
    elif field.HasField("oneof_index"):
        labels.append(f"oneof {message.oneof_decl[field.oneof_index].name}:")
    if field.type_name:
        kind = type_link(field.type_name, anchors, page)
    else:
        kind = f"`{SCALARS[field.type]}`"
    return " ".join([*labels, kind])


def type_link(type_name, anchors, page):
    """A message or enum name, linked to where it is described."""
    short = type_name.rpartition(".")[2]
    target = anchors.get(type_name)
    if target is None:
        return f"`{type_name[1:]}`"
    target_page, anchor = target.split("#")
    href = f"#{anchor}" if target_page == page else f"{Path(target_page).name}#{anchor}"
    return f"[`{short}`]({href})"
