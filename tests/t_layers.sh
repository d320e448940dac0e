#!/usr/bin/env bash
# t_layers.sh — the include rule of src/ (README, "How it works"): every
# folder includes only itself and the folders below it, in this order:
#   base → model → text → layout → writers (epub; draw → pdf) → src/*.c
# and post (the PDF post-step) only base. A writer sees of the layout only
# what it produces: layout/page.h (pages) and layout/pagemap.h (page map).
# One check per folder, plus one that every source file is in a folder.
source tests/lib.sh

# allowed FOLDER: the folders FOLDER may include from (besides itself)
allowed() {
  case $1 in
    base) echo "" ;;
    model) echo "base" ;;
    text) echo "base model" ;;
    layout) echo "base model text" ;;
    epub) echo "base model text layout" ;;
    draw) echo "base model text layout" ;;
    pdf) echo "base model text layout draw" ;;
    post) echo "base" ;;
  esac
}
writers="epub draw pdf"

for dir in src/*/; do
  f=$(basename "$dir")
  ok_dirs=$(allowed "$f")
  bad=""
  for file in "$dir"*.[ch]; do
    while IFS= read -r inc; do
      d=${inc%%/*}
      [ "$inc" = "$d" ] && { bad="$bad $file:$inc(no folder)"; continue; }
      [ "$d" = "$f" ] && continue
      case " $ok_dirs " in *" $d "*) ;; *) bad="$bad $file:$inc"; continue ;; esac
      if [ "$d" = layout ] && [[ " $writers " == *" $f "* ]]; then
        case $inc in layout/page.h|layout/pagemap.h) ;; *) bad="$bad $file:$inc(layout-internals)" ;; esac
      fi
    done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
  done
  if [ -z "$(allowed "$f")" ] && [ "$f" != base ]; then
    nok "src/$f is a known folder (add it to tests/t_layers.sh and the README)"
  elif [ -z "$bad" ]; then
    ok "src/$f includes only ${ok_dirs:-nothing outside itself}"
  else
    nok "src/$f includes only ${ok_dirs:-nothing outside itself}"; echo "$bad" | tr ' ' '\n' | sed '/^$/d' | indent
  fi
done

# the top level holds only the program and the orchestrator
top=$(ls src/*.[ch] | grep -v -e '^src/main\.c$' -e '^src/build\.[ch]$')
if [ -z "$top" ]; then ok "src/ holds only main.c and build.c/h beside the folders"
else nok "src/ holds only main.c and build.c/h beside the folders"; echo "$top" | indent; fi
