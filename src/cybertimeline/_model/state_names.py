"""The names states go by: the UN's, the Council of Europe's, and the common ones.

Data, not code: `Registry.resolve` reads these tables beside the ISO 3166-1
names that pycountry gives (``name``, ``official_name``, ``common_name``).

* `UN_MEMBER_STATES`: the 193 Member States of the United Nations, each under
  its short name in UN usage (the names of the UN's list of Member States and of
  UNTERM, as UN documents and recorded votes write them: "Republic of Korea",
  "Netherlands (Kingdom of the)", "Türkiye"). Source: United Nations, *Member
  States* (https://www.un.org/en/about-us/member-states) and UNTERM
  (https://unterm.un.org). These are the display names of states.
* `UN_OBSERVER_STATES`: the two non-member observer States (Holy See, State of
  Palestine), same sources.
* Every other ISO 3166-1 entry (Antarctica, Greenland, Puerto Rico...) is a
  ``territory``: an area ISO codes, not a state the UN counts.
* `OTHER_FORMS`: names researchers write that none of the above gives: the
  Council of Europe's treaty charts ("Slovak Republic", "Czech Republic"),
  older UN forms ("the former Yugoslav Republic of Macedonia", "Swaziland"),
  common English names ("South Korea", "Russia") and the short forms of the
  Unicode CLDR that data sets use ("Congo - Kinshasa", "Myanmar (Burma)").
* `AMBIGUOUS_NAMES`: names that mean more than one state: resolving one is an
  error that lists the candidates.
"""

from __future__ import annotations

from collections.abc import Mapping

from cybertimeline._model.frozen import FrozenDict

__all__ = ["AMBIGUOUS_NAMES", "OTHER_FORMS", "UN_MEMBER_STATES", "UN_OBSERVER_STATES"]

UN_MEMBER_STATES: Mapping[str, str] = FrozenDict({
    "AFG": "Afghanistan", "ALB": "Albania", "DZA": "Algeria", "AND": "Andorra",
    "AGO": "Angola", "ATG": "Antigua and Barbuda", "ARG": "Argentina", "ARM": "Armenia",
    "AUS": "Australia", "AUT": "Austria", "AZE": "Azerbaijan", "BHS": "Bahamas",
    "BHR": "Bahrain", "BGD": "Bangladesh", "BRB": "Barbados", "BLR": "Belarus",
    "BEL": "Belgium", "BLZ": "Belize", "BEN": "Benin", "BTN": "Bhutan",
    "BOL": "Bolivia (Plurinational State of)", "BIH": "Bosnia and Herzegovina",
    "BWA": "Botswana", "BRA": "Brazil", "BRN": "Brunei Darussalam", "BGR": "Bulgaria",
    "BFA": "Burkina Faso", "BDI": "Burundi", "CPV": "Cabo Verde", "KHM": "Cambodia",
    "CMR": "Cameroon", "CAN": "Canada", "CAF": "Central African Republic", "TCD": "Chad",
    "CHL": "Chile", "CHN": "China", "COL": "Colombia", "COM": "Comoros", "COG": "Congo",
    "CRI": "Costa Rica", "CIV": "Côte d'Ivoire", "HRV": "Croatia", "CUB": "Cuba",
    "CYP": "Cyprus", "CZE": "Czechia", "PRK": "Democratic People's Republic of Korea",
    "COD": "Democratic Republic of the Congo", "DNK": "Denmark", "DJI": "Djibouti",
    "DMA": "Dominica", "DOM": "Dominican Republic", "ECU": "Ecuador", "EGY": "Egypt",
    "SLV": "El Salvador", "GNQ": "Equatorial Guinea", "ERI": "Eritrea", "EST": "Estonia",
    "SWZ": "Eswatini", "ETH": "Ethiopia", "FJI": "Fiji", "FIN": "Finland", "FRA": "France",
    "GAB": "Gabon", "GMB": "Gambia", "GEO": "Georgia", "DEU": "Germany", "GHA": "Ghana",
    "GRC": "Greece", "GRD": "Grenada", "GTM": "Guatemala", "GIN": "Guinea",
    "GNB": "Guinea-Bissau", "GUY": "Guyana", "HTI": "Haiti", "HND": "Honduras",
    "HUN": "Hungary", "ISL": "Iceland", "IND": "India", "IDN": "Indonesia",
    "IRN": "Iran (Islamic Republic of)", "IRQ": "Iraq", "IRL": "Ireland", "ISR": "Israel",
    "ITA": "Italy", "JAM": "Jamaica", "JPN": "Japan", "JOR": "Jordan", "KAZ": "Kazakhstan",
    "KEN": "Kenya", "KIR": "Kiribati", "KWT": "Kuwait", "KGZ": "Kyrgyzstan",
    "LAO": "Lao People's Democratic Republic", "LVA": "Latvia", "LBN": "Lebanon",
    "LSO": "Lesotho", "LBR": "Liberia", "LBY": "Libya", "LIE": "Liechtenstein",
    "LTU": "Lithuania", "LUX": "Luxembourg", "MDG": "Madagascar", "MWI": "Malawi",
    "MYS": "Malaysia", "MDV": "Maldives", "MLI": "Mali", "MLT": "Malta",
    "MHL": "Marshall Islands", "MRT": "Mauritania", "MUS": "Mauritius", "MEX": "Mexico",
    "FSM": "Micronesia (Federated States of)", "MCO": "Monaco", "MNG": "Mongolia",
    "MNE": "Montenegro", "MAR": "Morocco", "MOZ": "Mozambique", "MMR": "Myanmar",
    "NAM": "Namibia", "NRU": "Nauru", "NPL": "Nepal", "NLD": "Netherlands (Kingdom of the)",
    "NZL": "New Zealand", "NIC": "Nicaragua", "NER": "Niger", "NGA": "Nigeria",
    "MKD": "North Macedonia", "NOR": "Norway", "OMN": "Oman", "PAK": "Pakistan",
    "PLW": "Palau", "PAN": "Panama", "PNG": "Papua New Guinea", "PRY": "Paraguay",
    "PER": "Peru", "PHL": "Philippines", "POL": "Poland", "PRT": "Portugal", "QAT": "Qatar",
    "KOR": "Republic of Korea", "MDA": "Republic of Moldova", "ROU": "Romania",
    "RUS": "Russian Federation", "RWA": "Rwanda", "KNA": "Saint Kitts and Nevis",
    "LCA": "Saint Lucia", "VCT": "Saint Vincent and the Grenadines", "WSM": "Samoa",
    "SMR": "San Marino", "STP": "Sao Tome and Principe", "SAU": "Saudi Arabia",
    "SEN": "Senegal", "SRB": "Serbia", "SYC": "Seychelles", "SLE": "Sierra Leone",
    "SGP": "Singapore", "SVK": "Slovakia", "SVN": "Slovenia", "SLB": "Solomon Islands",
    "SOM": "Somalia", "ZAF": "South Africa", "SSD": "South Sudan", "ESP": "Spain",
    "LKA": "Sri Lanka", "SDN": "Sudan", "SUR": "Suriname", "SWE": "Sweden",
    "CHE": "Switzerland", "SYR": "Syrian Arab Republic", "TJK": "Tajikistan",
    "THA": "Thailand", "TLS": "Timor-Leste", "TGO": "Togo", "TON": "Tonga",
    "TTO": "Trinidad and Tobago", "TUN": "Tunisia", "TUR": "Türkiye", "TKM": "Turkmenistan",
    "TUV": "Tuvalu", "UGA": "Uganda", "UKR": "Ukraine", "ARE": "United Arab Emirates",
    "GBR": "United Kingdom of Great Britain and Northern Ireland",
    "TZA": "United Republic of Tanzania", "USA": "United States of America",
    "URY": "Uruguay", "UZB": "Uzbekistan", "VUT": "Vanuatu",
    "VEN": "Venezuela (Bolivarian Republic of)", "VNM": "Viet Nam", "YEM": "Yemen",
    "ZMB": "Zambia", "ZWE": "Zimbabwe",
})
"""ISO 3166-1 alpha-3 code -> short name in UN usage, for the 193 UN Member States."""

UN_OBSERVER_STATES: Mapping[str, str] = FrozenDict({
    "VAT": "Holy See", "PSE": "State of Palestine",
})
"""ISO 3166-1 alpha-3 code -> name in UN usage, for the non-member observer States."""

OTHER_FORMS: Mapping[str, str] = FrozenDict({
    # The Council of Europe's treaty charts.
    "Czech Republic": "CZE", "Slovak Republic": "SVK", "Turkey": "TUR",
    "Republic of Türkiye": "TUR", "United Kingdom": "GBR", "Netherlands": "NLD",
    "Kingdom of the Netherlands": "NLD", "Republic of North Macedonia": "MKD",
    "the former Yugoslav Republic of Macedonia": "MKD",
    # Older UN forms, and other forms the UN has used.
    "Swaziland": "SWZ", "Cape Verde": "CPV", "Republic of the Gambia": "GMB",
    "Zaire": "COD", "Burma": "MMR", "East Timor": "TLS", "Vatican": "VAT",
    "Vatican City": "VAT", "Palestine": "PSE",
    # Common English names.
    "South Korea": "KOR", "North Korea": "PRK", "Russia": "RUS", "Syria": "SYR",
    "Iran": "IRN", "Laos": "LAO", "Vietnam": "VNM", "Bolivia": "BOL", "Venezuela": "VEN",
    "Tanzania": "TZA", "Moldova": "MDA", "Micronesia": "FSM", "Brunei": "BRN",
    "Ivory Coast": "CIV", "Macedonia": "MKD", "Great Britain": "GBR", "Britain": "GBR",
    "UK": "GBR", "U.K.": "GBR", "U.S.": "USA", "U.S.A.": "USA",
    "DR Congo": "COD", "DRC": "COD", "Congo-Kinshasa": "COD", "Congo-Brazzaville": "COG",
    "Republic of Congo": "COG",
    # Unicode CLDR short forms, as data sets such as the UN roll-call data write them.
    "Congo - Kinshasa": "COD", "Congo - Brazzaville": "COG", "Myanmar (Burma)": "MMR",
    "St. Vincent & Grenadines": "VCT", "Saint Vincent and Grenadines": "VCT",
    # Abbreviations and forms of the press and of data sets.
    "DPRK": "PRK", "ROK": "KOR", "Korea, South": "KOR", "Korea, North": "PRK",
    "Korea (South)": "KOR", "Korea (North)": "PRK", "Holland": "NLD", "UAE": "ARE",
    "PRC": "CHN", "KSA": "SAU", "USA": "USA", "America": "USA",
})
"""Another form of a state's name -> its ISO 3166-1 alpha-3 code."""

FORMER_STATE_NAMES: Mapping[str, tuple[str, ...]] = FrozenDict({
    "SUN": ("USSR", "U.S.S.R.", "Soviet Union", "Union of Soviet Socialist Republics"),
    "YUG": ("Yugoslavia", "Socialist Federal Republic of Yugoslavia", "SFRY"),
    "CSK": ("Czechoslovakia", "Czechoslovak Socialist Republic"),
    "DDR": ("East Germany", "GDR", "German Democratic Republic"),
    "YMD": ("South Yemen", "Democratic Yemen", "People's Democratic Republic of Yemen"),
    "SCG": ("Serbia and Montenegro", "Federal Republic of Yugoslavia"),
})
"""The names of former states, filed under the ids importers declare them with (not ISO
3166-1 entries any more): they resolve only where the registry holds the state."""

AMBIGUOUS_NAMES: Mapping[str, tuple[str, ...]] = FrozenDict({
    "Korea": ("KOR", "PRK"),
    "Virgin Islands": ("VGB", "VIR"),
    "Saint Martin": ("MAF", "SXM"),
})
"""Names that mean more than one state or territory: resolving one lists these."""
