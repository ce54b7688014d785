# fish completion for aiproj(1).  Installed as
# $PREFIX/share/fish/vendor_completions.d/aiproj.fish.  The candidates come
# from the binary itself ("aiproj __complete --describe next -- WORD...").

function __aiproj_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l args
    if test (count $words) -gt 1
        set args $words[2..-1]
    end
    set -l out ($words[1] __complete --describe next -- $args $cur 2>/dev/null)
    or return
    if test "$out" = ":file"
        __fish_complete_path (string replace -r -- '^--[^=]*=' '' $cur)
        return
    end
    # the value of "--opt=value" keeps its "--opt=" in front
    set -l prefix (string match -r -- '^--[^=]+=' $cur)
    for line in $out
        printf '%s%s\n' "$prefix" $line
    end
end

complete -c aiproj -f -a '(__aiproj_complete)'
