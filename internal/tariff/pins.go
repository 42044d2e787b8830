package tariff

// This file is data: which state or union territory a PIN code's leading
// digits belong to, and which cities count as metros.
//
// Source: India Post's PIN code scheme (the first digit is the postal
// region, the first two the sub-region or circle, the first three the
// sorting district), as tabulated in "Postal Index Number", Wikipedia,
// https://en.wikipedia.org/wiki/Postal_Index_Number (retrieved 2026), and
// India Post's circle list, https://www.indiapost.gov.in. The longest
// matching prefix wins, so a state's exceptions (Goa's 403 inside
// Maharashtra's 40–44, Ladakh's 194 inside Jammu and Kashmir's 18–19)
// are listed beside the ranges they cut out of.
//
// Known approximations, on the side of the larger neighbour: Mohali's
// 1600xx counts as Chandigarh; Puducherry is 605 only (Karaikal, Mahe and
// Yanam go with the states around them); Dadra and Nagar Haveli and Daman
// and Diu go with Gujarat; only Uttarakhand's wholly Uttarakhand
// districts are split out of Uttar Pradesh's 20–28. The Army Postal
// Service (9x) and unallocated prefixes are no state: such PINs cannot be
// priced.

// State codes (ISO 3166-2:IN without the country).
const (
	stAN = "AN" // Andaman and Nicobar Islands
	stAP = "AP" // Andhra Pradesh
	stAR = "AR" // Arunachal Pradesh
	stAS = "AS" // Assam
	stBR = "BR" // Bihar
	stCH = "CH" // Chandigarh
	stCT = "CT" // Chhattisgarh
	stDL = "DL" // Delhi
	stGA = "GA" // Goa
	stGJ = "GJ" // Gujarat
	stHP = "HP" // Himachal Pradesh
	stHR = "HR" // Haryana
	stJH = "JH" // Jharkhand
	stJK = "JK" // Jammu and Kashmir
	stKA = "KA" // Karnataka
	stKL = "KL" // Kerala
	stLA = "LA" // Ladakh
	stLD = "LD" // Lakshadweep
	stMH = "MH" // Maharashtra
	stML = "ML" // Meghalaya
	stMN = "MN" // Manipur
	stMP = "MP" // Madhya Pradesh
	stMZ = "MZ" // Mizoram
	stNL = "NL" // Nagaland
	stOR = "OR" // Odisha
	stPB = "PB" // Punjab
	stPY = "PY" // Puducherry
	stRJ = "RJ" // Rajasthan
	stSK = "SK" // Sikkim
	stTG = "TG" // Telangana
	stTN = "TN" // Tamil Nadu
	stTR = "TR" // Tripura
	stUP = "UP" // Uttar Pradesh
	stUT = "UT" // Uttarakhand
	stWB = "WB" // West Bengal
)

// pinStates maps a PIN's leading digits (2 to 5 of them) to its state.
var pinStates = map[string]string{
	"11": stDL,
	"12": stHR, "13": stHR,
	"14": stPB, "15": stPB, "16": stPB, "160": stCH,
	"17": stHP,
	"18": stJK, "19": stJK, "194": stLA,
	"20": stUP, "21": stUP, "22": stUP, "23": stUP, "24": stUP, "25": stUP, "26": stUP, "27": stUP, "28": stUP,
	"246": stUT, "248": stUT, "249": stUT, "263": stUT, "2476": stUT, "2477": stUT, "2625": stUT,
	"30": stRJ, "31": stRJ, "32": stRJ, "33": stRJ, "34": stRJ,
	"36": stGJ, "37": stGJ, "38": stGJ, "39": stGJ,
	"40": stMH, "41": stMH, "42": stMH, "43": stMH, "44": stMH, "403": stGA,
	"45": stMP, "46": stMP, "47": stMP, "48": stMP,
	"49": stCT,
	"50": stTG,
	"51": stAP, "52": stAP, "53": stAP,
	"56": stKA, "57": stKA, "58": stKA, "59": stKA,
	"60": stTN, "61": stTN, "62": stTN, "63": stTN, "64": stTN, "605": stPY,
	"67": stKL, "68": stKL, "69": stKL, "68255": stLD,
	"70": stWB, "71": stWB, "72": stWB, "73": stWB, "74": stWB, "737": stSK, "744": stAN,
	"75": stOR, "76": stOR, "77": stOR,
	"78":  stAS,
	"790": stAR, "791": stAR, "792": stAR,
	"793": stML, "794": stML,
	"795": stMN,
	"796": stMZ,
	"797": stNL, "798": stNL,
	"799": stTR,
	"80":  stBR, "81": stBR, "82": stBR, "83": stBR, "84": stBR, "85": stBR,
	"813": stJH, "814": stJH, "815": stJH, "816": stJH, "825": stJH, "826": stJH, "827": stJH,
	"828": stJH, "829": stJH, "831": stJH, "832": stJH, "833": stJH, "834": stJH, "835": stJH,
}

// specialStates are the special regions, priced apart for their distance
// and transport: Jammu and Kashmir and Ladakh, Himachal Pradesh (hill
// areas throughout), the North-East (the seven states and Sikkim), and
// the islands (Andaman and Nicobar, Lakshadweep).
var specialStates = map[string]bool{
	stJK: true, stLA: true, stHP: true,
	stAS: true, stAR: true, stML: true, stMN: true, stMZ: true, stNL: true, stTR: true, stSK: true,
	stAN: true, stLD: true,
}

// metroPrefixes are the sorting districts (first three PIN digits) of the
// metro cities' own delivery areas: Delhi 110, Mumbai 400, Kolkata 700,
// Chennai 600, Bengaluru 560, Hyderabad 500, Ahmedabad 380, Pune 411.
var metroPrefixes = map[string]string{
	"110": "Delhi", "400": "Mumbai", "700": "Kolkata", "600": "Chennai",
	"560": "Bengaluru", "500": "Hyderabad", "380": "Ahmedabad", "411": "Pune",
}

// stateOf returns the state of a six-digit PIN by its longest known
// prefix, or "" when no state has it.
func stateOf(pin string) string {
	for n := 5; n >= 2; n-- {
		if n <= len(pin) {
			if st, ok := pinStates[pin[:n]]; ok {
				return st
			}
		}
	}
	return ""
}
