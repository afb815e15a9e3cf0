// Client-safe: the search form and the search query both fold what the rep typed the same way.

const FROM =
  "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳøØđĐłŁı";
const TO =
  "aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyooddlli";
const table = new Map<string, string>([...FROM].map((c, i) => [c, TO[i]]));

/**
 * Lower-cases and strips accents from Latin letters exactly as the SQL function myaccount_fold()
 * (drizzle/0009_staff_console.sql) does, so a folded search term can be compared with the folded
 * name index: "José" → "jose", "ÉMILE" → "emile". Letters outside the table pass through lower-cased;
 * for those (Greek, Cyrillic…) SQL lower() follows the database's locale, which under the C locale
 * (PGlite) leaves them as they are, so a non-Latin name is found by the case it is stored in.
 */
export function fold(text: string): string {
  let out = "";
  // Character by character, as SQL lower() does: lower-casing the whole string would apply
  // context rules (a final Σ becomes ς) that Postgres does not.
  for (const c of text) {
    const lower = c.toLowerCase();
    out += table.get(c) ?? table.get(lower) ?? lower;
  }
  return out;
}
