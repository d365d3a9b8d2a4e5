# md2man.awk: the small Markdown subset of docs/*.md to a man(7) page.
#   awk -v version=V -v section=5 -v name=attrledger-formats -f md2man.awk FILE.md
# Headings (# title, ## section, ### subsection), paragraphs, "- " lists,
# ``` blocks and | tables (kept as preformatted text), `code`, **bold** and
# [text](link) (the text is kept).
function esc(s) {
    gsub(/\\/, "\\e", s)
    return s
}
function inline(s) {
    s = esc(s)
    while (match(s, /\[[^\]]*\]\([^)]*\)/)) {
        t = substr(s, RSTART + 1, RLENGTH)
        sub(/\]\(.*$/, "", t)
        s = substr(s, 1, RSTART - 1) t substr(s, RSTART + RLENGTH)
    }
    while (match(s, /\*\*[^*]+\*\*/))
        s = substr(s, 1, RSTART - 1) "\\fB" substr(s, RSTART + 2, RLENGTH - 4) "\\fR" \
            substr(s, RSTART + RLENGTH)
    while (match(s, /`[^`]+`/))
        s = substr(s, 1, RSTART - 1) "\\fB" substr(s, RSTART + 1, RLENGTH - 2) "\\fR" \
            substr(s, RSTART + RLENGTH)
    if (s ~ /^[.']/)
        s = "\\&" s
    return s
}
function verbatim(s) {
    s = esc(s)
    if (s ~ /^[.']/)
        s = "\\&" s
    return s
}
BEGIN {
    if (section == "") section = 5
    if (name == "") name = "attrledger-formats"
    pre = 0; table = 0
}
pre && /^```/ { print ".fi"; print ".RE"; pre = 0; next }
pre { print verbatim($0); next }
/^```/ { print ".PP"; print ".RS 2"; print ".nf"; pre = 1; next }
/^\|/ {
    if (!table) { print ".PP"; print ".RS 2"; print ".nf"; table = 1 }
    if ($0 ~ /^\|[-| :]*$/) next
    line = $0
    gsub(/`/, "", line)
    print verbatim(line)
    next
}
table { print ".fi"; print ".RE"; table = 0 }
/^# / {
    title = substr($0, 3)
    printf ".TH %s %s \"\" \"attrledger %s\" \"Attribution Ledger\"\n", toupper(name), section, version
    print ".SH NAME"
    printf "%s \\- %s\n", name, esc(title)
    next
}
/^## / { print ".SH \"" toupper(inline(substr($0, 4))) "\""; next }
/^### / { print ".SS \"" inline(substr($0, 5)) "\""; next }
/^[-*] / { print ".IP \\(bu 2"; print inline(substr($0, 3)); next }
/^[0-9]+\. / { sub(/^[0-9]+\. /, ""); print ".IP \\(bu 2"; print inline($0); next }
/^[ \t]*$/ { print ".PP"; next }
{ sub(/^[ \t]+/, ""); print inline($0) }
END { if (pre || table) { print ".fi"; print ".RE" } }
