package demo

import (
	"fmt"
	"slices"

	"dakiya/internal/centre"
)

// centreSpec is everything the demo knows about one delivery centre before
// any of it is stored.
type centreSpec struct {
	dc         centre.DC
	supervisor staff
	sorter     staff // sorts arriving articles into the postmen's cases
	postmen    []staff
	beats      []beatSpec // one per sector around the centre, clockwise from north
	articles   int
	localities []locality
	names      []nameGroup
	buildings  []string // apartment blocks, for flat addresses
}

// staff is one demo user of a centre.
type staff struct {
	username, name, locale string
}

// nameGroup holds given and family names that go together, so that a
// recipient's name is one a family of the city would give.
type nameGroup struct {
	given, family []string
}

// beatSpec names a beat and says which postman (by username) walks it.
type beatSpec struct {
	slug, name, postman string
}

// locality is a named neighbourhood near a centre: addresses are written in
// its style, and a point belongs to the locality whose anchor is nearest.
type locality struct {
	pin      string
	lat, lon float64
	house    string // the house number's form, e.g. "No. %d"
	streets  []string
	area     string // the tail of the address, e.g. "6th Block, Koramangala, Bengaluru"
}

// centres returns the demo centres in load order.
func centres() []centreSpec {
	return []centreSpec{koramangala(), jaipurCity()}
}

func koramangala() centreSpec {
	return centreSpec{
		dc: centre.DC{
			ID: "blr-koramangala", Name: "Koramangala Delivery Centre, Bengaluru",
			Address: "80 Feet Road, 4th Block, Koramangala, Bengaluru, Karnataka", PIN: "560034",
			Lat: 12.9352, Lon: 77.6245, TimeZone: "Asia/Kolkata", UPIVPA: "koramangala.dc@ippb",
		},
		supervisor: staff{"supervisor1", "Shobha Ramachandran", "en"},
		sorter:     staff{"sorter1", "Girish Naik", "en"},
		postmen: []staff{
			{"postman1", "Manjunath Gowda", "en"},
			{"postman2", "Ravi Kumar Yadav", "hi"},
			{"postman3", "Syed Imran Pasha", "en"},
		},
		beats: []beatSpec{
			{"east", "Koramangala East (4th Block, Ejipura, National Games Village)", "postman1"},
			{"south", "Koramangala South (1st–3rd Blocks, Jakkasandra, Madiwala)", "postman2"},
			{"west", "Koramangala West (5th–8th Blocks, Adugodi, S.G. Palya, Viveknagar)", "postman3"},
		},
		articles:   240,
		localities: bengaluruLocalities(),
		names: []nameGroup{
			{[]string{"Lakshmi", "Suresh", "Kavya", "Manjunath", "Deepa", "Prakash", "Shwetha", "Naveen", "Harsha",
				"Nandini", "Sandeep", "Asha", "Raghu", "Pavithra"},
				[]string{"Gowda", "Rao", "Shetty", "Hegde", "Kulkarni", "Murthy", "Bhat", "Prasad"}},
			{[]string{"Ananya", "Karthik", "Meera", "Venkatesh", "Divya", "Arjun", "Priya", "Vikram"},
				[]string{"Iyer", "Reddy", "Naidu", "Srinivasan", "Pillai", "Nair", "Menon"}},
			{[]string{"Ayesha", "Farhan", "Imran", "Sana", "Zoya", "Irfan"}, []string{"Khan", "Pasha", "Sheriff", "Baig"}},
			{[]string{"Joseph", "Mary", "Anita", "Clement", "Sheila"}, []string{"D'Souza", "Fernandes", "Thomas"}},
			{[]string{"Rohan", "Sneha", "Pooja", "Rahul", "Neha"}, []string{"Sharma", "Agarwal", "Jain", "Gupta"}},
		},
		buildings: []string{"Brigade Residency", "Prestige Acropolis", "Sai Krupa Apartments",
			"Raheja Residency", "Sobha Elite", "Nandi Enclave"},
	}
}

func bengaluruLocalities() []locality {
	block := func(pin string, lat, lon float64, n int) locality {
		return locality{pin, lat, lon, "No. %d", slices.Concat(numbered("Cross", 12), numbered("Main", 8)),
			ordinal(n) + " Block, Koramangala, Bengaluru"}
	}
	return []locality{
		block("560034", 12.9275, 77.6370, 1),
		block("560034", 12.9245, 77.6260, 2),
		block("560034", 12.9285, 77.6180, 3),
		block("560034", 12.9330, 77.6300, 4),
		block("560095", 12.9345, 77.6180, 5),
		block("560095", 12.9390, 77.6230, 6),
		block("560095", 12.9370, 77.6130, 7),
		block("560095", 12.9415, 77.6165, 8),
		{"560034", 12.9230, 77.6420, "No. %d", numbered("Cross", 6), "Jakkasandra, Koramangala 1st Block, Bengaluru"},
		{"560047", 12.9440, 77.6300, "No. %d", append(numbered("Main Road", 4), "Intermediate Ring Road"), "Ejipura, Bengaluru"},
		{"560047", 12.9490, 77.6290, "No. %d", numbered("Cross", 5), "National Games Village, Koramangala, Bengaluru"},
		{"560047", 12.9535, 77.6215, "No. %d", append(numbered("Cross", 8), "Viveknagar Main Road"), "Viveknagar, Bengaluru"},
		{"560030", 12.9430, 77.6060, "No. %d", append(numbered("Cross", 6), "Hosur Road"), "Adugodi, Bengaluru"},
		{"560030", 12.9475, 77.5985, "No. %d", numbered("Cross", 6), "Lakkasandra, Bengaluru"},
		{"560029", 12.9340, 77.6040, "No. %d", numbered("Main", 4), "S.G. Palya, Bengaluru"},
		{"560029", 12.9300, 77.6095, "No. %d", append(numbered("Cross", 5), "Tavarekere Main Road"), "Tavarekere, Bengaluru"},
		{"560068", 12.9210, 77.6180, "No. %d", append(numbered("Cross", 6), "Madiwala Market Road"), "Madiwala, Bengaluru"},
		{"560068", 12.9150, 77.6090, "No. %d", numbered("Main", 6), "Maruti Nagar, Madiwala, Bengaluru"},
	}
}

func jaipurCity() centreSpec {
	return centreSpec{
		dc: centre.DC{
			ID: "jaipur-city", Name: "Jaipur City Delivery Centre",
			Address: "M.I. Road, near Jaipur GPO, Jaipur, Rajasthan", PIN: "302001",
			Lat: 26.9157, Lon: 75.8036, TimeZone: "Asia/Kolkata", UPIVPA: "jaipurcity.dc@ippb",
		},
		supervisor: staff{"supervisor2", "Rajendra Singh Shekhawat", "hi"},
		sorter:     staff{"sorter2", "Kamla Devi Meena", "hi"},
		postmen:    []staff{{"postman4", "Mohan Lal Meena", "hi"}},
		beats:      []beatSpec{{"city", "Jaipur City (walled city, C-Scheme, Bani Park)", "postman4"}},
		articles:   80,
		localities: jaipurLocalities(),
		names: []nameGroup{
			{[]string{"Rajendra", "Sunita", "Mahesh", "Kavita", "Vikas", "Pooja", "Anil", "Neha", "Ramesh", "Priyanka",
				"Deepak", "Geeta", "Manish", "Ritu", "Sanjay", "Anjali", "Harish", "Seema"},
				[]string{"Sharma", "Agarwal", "Gupta", "Jain", "Khandelwal", "Mathur", "Joshi", "Bansal", "Saini", "Meena"}},
			{[]string{"Bhawani", "Jaswant", "Kiran", "Mahendra", "Pushpa", "Vikram"},
				[]string{"Singh Shekhawat", "Singh Rathore", "Singh Choudhary", "Singh"}},
			{[]string{"Imran", "Farida", "Salim", "Nasreen", "Aamir", "Shabana"}, []string{"Qureshi", "Khan", "Ansari", "Siddiqui"}},
		},
		buildings: []string{"Ganpati Heights", "Shree Ram Residency", "Mahima Apartments", "Royal Enclave"},
	}
}

func jaipurLocalities() []locality {
	oldCity := []string{"Gangori Bazar", "Haldiyon ka Rasta", "Gopalji ka Rasta", "Maniharon ka Rasta",
		"Ghee Walon ka Rasta", "Tiwari ka Rasta"}
	return []locality{
		{"302001", 26.9160, 75.8055, "No. %d", []string{"M.I. Road", "Sansar Chandra Road", "Panch Batti"}, "Jaipur"},
		{"302001", 26.9060, 75.8060, "Plot %d", []string{"Tilak Marg", "Prithviraj Road", "Sardar Patel Marg",
			"Bhagwan Das Road", "Ashok Marg", "Gopinath Marg"}, "C-Scheme, Jaipur"},
		{"302001", 26.9235, 75.7990, "No. %d", []string{"Station Road", "Sindhi Camp Road"}, "Sindhi Camp, Jaipur"},
		{"302001", 26.9260, 75.8145, "House No. %d", oldCity, "Chandpole Bazar, Jaipur"},
		{"302002", 26.9245, 75.8270, "House No. %d", oldCity, "Badi Chaupar, Jaipur"},
		{"302003", 26.9190, 75.8250, "House No. %d", oldCity, "Johari Bazar, Jaipur"},
		{"302004", 26.8950, 75.8270, "Plot %d", []string{"Gali No. 3", "Gali No. 5", "Govind Marg", "Ashok Chowk Road"},
			"Raja Park, Jaipur"},
		{"302004", 26.9050, 75.8225, "Plot %d", []string{"Janta Colony Road", "Adarsh Nagar Main Road"}, "Adarsh Nagar, Jaipur"},
		{"302004", 26.8965, 75.8130, "Plot %d", []string{"Tilak Nagar Road", "Moti Doongri Road"}, "Tilak Nagar, Jaipur"},
		{"302006", 26.9040, 75.7870, "Plot %d", []string{"Jacob Road", "Bais Godam Road", "Hawa Sadak"}, "Civil Lines, Jaipur"},
		{"302016", 26.9300, 75.7910, "Plot %d", []string{"Kanti Chandra Road", "Madho Singh Road", "Shiv Marg",
			"Collectorate Road"}, "Bani Park, Jaipur"},
	}
}

// numbered returns "1st kind", "2nd kind", … up to n.
func numbered(kind string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = ordinal(i+1) + " " + kind
	}
	return out
}

// ordinal writes n as "1st", "2nd", "3rd", "4th", … "11th", "12th".
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}
