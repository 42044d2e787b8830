package postal

// Slot is a delivery window of the day.
type Slot string

// The delivery slots.
const (
	SlotMorning Slot = "morning"
	SlotEvening Slot = "evening"
	SlotSunday  Slot = "sunday" // Sundays and holidays
)

// Valid reports whether s is one of the known slots.
func (s Slot) Valid() bool {
	switch s {
	case SlotMorning, SlotEvening, SlotSunday:
		return true
	}
	return false
}

// Service is the postal product an article travels as.
type Service string

// The services.
const (
	ServiceSpeedPost  Service = "speed_post"
	ServiceRegistered Service = "registered"
	ServiceParcel     Service = "parcel"
	ServiceLetter     Service = "letter"
)

// Valid reports whether s is one of the known services.
func (s Service) Valid() bool {
	switch s {
	case ServiceSpeedPost, ServiceRegistered, ServiceParcel, ServiceLetter:
		return true
	}
	return false
}
