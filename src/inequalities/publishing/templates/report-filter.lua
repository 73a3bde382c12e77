-- Pandoc Lua filter of the pandoc engine (HTML and Typst), applied to the expanded chapters.
--
-- * Callouts (::: {.callout-note} and friends, the Quarto subset): a titled box in both
--   formats, as Quarto draws them. In HTML a div with role="note" and a visible title; in
--   Typst a call of the template's #callout() function around the callout's content.
-- * Typst tables: long tokens that are not words (hashes, URLs, file names: anything with
--   a digit or one of / _ . : = & ?, or letters beyond WORD) get zero-width break opportunities so a cell wraps
--   instead of overflowing into its neighbour; English words are never broken (tables
--   do not hyphenate either). HTML and the CSV downloads keep the text unchanged.
-- * Typst pages: a short table (at most SHORT_ROWS rows) is kept whole, with the
--   paragraph that leads into it, so no page holds a caption without its table, a lone
--   row split from its table, or a table without the words that introduce it; before a
--   long table (which may run over pages, its header repeating) the lead-in paragraph is
--   kept with the table's first rows. The quarto engine runs this filter too, for
--   the table words only (https://quarto.org/docs/extensions/lua-api.html: the `quarto`
--   module exists only inside Quarto).
-- * Tables the engine converted on their own (engine_pandoc: a notebook's tables do not
--   change when a chapter's words do, so their conversion is kept): in Typst a raw block
--   whose first line, "// report-table rows=N", gives the table's body rows; it is kept
--   whole or with its lead-in exactly as a table is, and the line is dropped.
-- * Marks (a table cell's [lower]{.compare-lower}, written by report.outputs.Marked): a
--   small square in the mark's colour before the word, with a dark outline, in HTML (an
--   inline-styled span, so Quarto's HTML needs no stylesheet of ours) and in Typst (a
--   filled #box). The word stays in the text colour: the colour never stands alone and
--   the text keeps its contrast. Both engines run this, Quarto included.

local TITLES = {
  ["callout-note"] = "Note",
  ["callout-tip"] = "Tip",
  ["callout-important"] = "Important",
  ["callout-warning"] = "Warning",
}
local ZWSP = "\u{200B}"
local LONG = 14   -- words longer than this (in characters) get break opportunities
local CHUNK = 10  -- at most this many characters between two break opportunities

-- The Okabe-Ito colours of the hex map (report.charts.COMPARISON_COLOURS), by mark.
local MARKS = {
  ["compare-higher"] = "#E69F00",
  ["compare-similar"] = "#D9D9D9",
  ["compare-lower"] = "#0072B2",
}
local MARK_OUTLINE = "#505050"

local function is_typst()
  return FORMAT:match("typst") ~= nil
end

local WORD = 20   -- letters-only tokens up to this length are words, never broken
local SHORT_ROWS = 16  -- tables with at most this many body rows never break over pages

local function breakable(text)
  if utf8.len(text) == nil or utf8.len(text) <= LONG then
    return nil
  end
  if not text:match("[%d/_%.:=&?]") and utf8.len(text) <= WORD then
    return nil  -- an English word: wrap between words, never inside one
  end
  local out, run = {}, 0
  for _, code in utf8.codes(text) do
    local ch = utf8.char(code)
    out[#out + 1] = ch
    run = run + 1
    if ch:match("[/_%.:%-=&?]") or run >= CHUNK then
      out[#out + 1] = ZWSP
      run = 0
    end
  end
  return table.concat(out)
end

local function callout(div)
  local kind
  for _, class in ipairs(div.classes) do
    if TITLES[class] then kind = class end
  end
  if kind == nil then
    return nil
  end
  local title = TITLES[kind]
  if is_typst() then
    local blocks = pandoc.List({
      pandoc.RawBlock("typst", '#callout("' .. kind:sub(9) .. '", "' .. title .. '")[')
    })
    blocks:extend(div.content)
    blocks:insert(pandoc.RawBlock("typst", "]"))
    return blocks
  end
  div.classes:insert("callout")
  div.attributes["role"] = "note"
  div.attributes["aria-label"] = title
  div.content:insert(1, pandoc.Div({ pandoc.Plain({ pandoc.Strong({ pandoc.Str(title) }) }) },
                                   pandoc.Attr("", { "callout-title" })))
  return div
end

local function mark(span)
  local colour
  for _, class in ipairs(span.classes) do
    if MARKS[class] then colour = MARKS[class] end
  end
  if colour == nil then
    return nil
  end
  local square
  if is_typst() then
    square = pandoc.RawInline("typst", '#box(width: 0.7em, height: 0.7em, fill: rgb("'
      .. colour .. '"), stroke: 0.5pt + rgb("' .. MARK_OUTLINE .. '"))#h(0.3em)')
  elseif FORMAT:match("html") then
    square = pandoc.RawInline("html", '<span class="compare-mark" aria-hidden="true" '
      .. 'style="display:inline-block;width:0.75em;height:0.75em;margin-right:0.3em;'
      .. 'vertical-align:-0.05em;border:1px solid ' .. MARK_OUTLINE .. ';background:'
      .. colour .. ';-webkit-print-color-adjust:exact;print-color-adjust:exact"></span>')
    span.attributes["style"] = "white-space:nowrap"  -- the square never parts from its word
  else
    return nil
  end
  span.content:insert(1, square)
  return span
end

local function table_words(tbl)
  if not is_typst() then
    return nil
  end
  return pandoc.walk_block(tbl, {
    Str = function(s)
      local text = breakable(s.text)
      if text then return pandoc.Str(text) end
      return nil
    end,
  })
end

local RAW_TABLE = "^// report%-table rows=(%d+)\n+"

-- Body rows of a table, native or converted on its own; nil for any other block.
local function table_rows(block)
  if block.t == "Table" then
    local n = 0
    for _, body in ipairs(block.bodies) do
      n = n + #body.body
    end
    return n
  end
  if block.t == "RawBlock" and block.format == "typst" then
    local n = block.text:match(RAW_TABLE)
    return n and tonumber(n)
  end
  return nil
end

-- The block as it is written: a converted table without its first line.
local function unmarked(block)
  if block.t == "RawBlock" and block.text:match(RAW_TABLE) then
    return pandoc.RawBlock("typst", (block.text:gsub(RAW_TABLE, "", 1)))
  end
  return block
end

local function raw(text)
  return pandoc.RawBlock("typst", text)
end

-- Set from the document's metadata: the engine's conversion of the tables alone, whose
-- keeping together is decided later, in the report.
local TABLES_ALONE = false

local function read_mode(meta)
  TABLES_ALONE = meta["report-tables-alone"] ~= nil
  return nil
end

-- The tables alone: each gets the line that tells the report its body rows.
local function mark_tables(blocks)
  local out, changed = pandoc.List(), false
  for _, block in ipairs(blocks) do
    if block.t == "Table" then
      out:insert(raw("// report-table rows=" .. table_rows(block)))
      changed = true
    end
    out:insert(block)
  end
  if changed then return out end
  return nil
end

-- Keep a short table whole and with its lead-in paragraph; stick a long table's lead-in
-- paragraph to the table.
local function keep_tables(blocks)
  if not is_typst() then
    return nil
  end
  if TABLES_ALONE then
    return mark_tables(blocks)
  end
  local out, i, changed = pandoc.List(), 1, false
  while i <= #blocks do
    local block, following = blocks[i], blocks[i + 1]
    local rows = table_rows(block)
    local next_rows = following ~= nil and table_rows(following) or nil
    local lead = (block.t == "Para" or block.t == "Plain") and next_rows ~= nil
    if lead and next_rows <= SHORT_ROWS then
      out:extend({ raw("#block(breakable: false)["), block, unmarked(following), raw("]") })
      i, changed = i + 2, true
    elseif lead then
      out:extend({ raw("#block(sticky: true)["), block, raw("]"), unmarked(following) })
      i, changed = i + 2, true
    elseif rows ~= nil and rows <= SHORT_ROWS then
      out:extend({ raw("#block(breakable: false)["), unmarked(block), raw("]") })
      i, changed = i + 1, true
    else
      local written = unmarked(block)
      changed = changed or written ~= block
      out:insert(written)
      i = i + 1
    end
  end
  if changed then return out end
  return nil
end

-- Under Quarto (the quarto engine runs this filter for Typst too) the global `quarto` exists
-- and Quarto draws callouts itself, so only the table words are handled there.
if quarto ~= nil then
  return {
    { Table = table_words, Span = mark },
  }
end

-- HTML needs only the callouts and marks: handing every table and block list to Lua for
-- the Typst-only functions to decline cost a tenth of pandoc's time per edition.
if not is_typst() then
  return {
    { Div = callout, Span = mark },
  }
end

return {
  { Div = callout, Table = table_words, Span = mark, Meta = read_mode },
  { Blocks = keep_tables },
}
