package demo

// nameGroup is a group of newcomers who share a contact language: the
// languages they speak (the contact language first) and names usual among
// them. The names are common ones; no demo learner is a real person.
type nameGroup struct {
	languages   []string
	first, last []string
	eu          bool // EU citizens are entitled to the trajectory, not obliged
}

// groupsFor lists, per language of instruction, the groups a course in it
// draws its learners from: a course in Dutch takes newcomers of every group
// who already speak some Dutch.
var groupsFor = map[string][]string{
	"nl": {"ar", "fa", "ti", "so", "tr", "ro", "pl", "es", "en", "ru", "bg"},
	"ar": {"ar", "ar", "ku"},
	"fa": {"fa"},
	"ps": {"ps"},
	"ti": {"ti"},
	"fr": {"fr"},
	"en": {"en", "en", "so"},
	"tr": {"tr"},
	"ru": {"ru"},
}

var nameGroups = map[string]nameGroup{
	"ar": {languages: []string{"ar"},
		first: []string{"Ahmad", "Mohammed", "Omar", "Khaled", "Yousef", "Rami", "Bilal", "Hussein", "Fatima", "Aya", "Rana", "Noor", "Layla", "Hiba", "Amal", "Zainab"},
		last:  []string{"Al-Hassan", "Khalil", "Darwish", "Saleh", "Aziz", "Mansour", "Nasser", "Haidar", "Al-Jabouri", "Abboud", "Hamdan", "El Idrissi", "Benali"}},
	"ku": {languages: []string{"ku", "ar"},
		first: []string{"Dilan", "Rojda", "Baran", "Zozan", "Siamend", "Hevin"},
		last:  []string{"Sheikho", "Hemo", "Ibrahim", "Osman", "Bakir"}},
	"fa": {languages: []string{"fa", "ps"},
		first: []string{"Ali", "Hamid", "Mustafa", "Jawad", "Sohrab", "Karim", "Zahra", "Maryam", "Fereshta", "Sima", "Nargis", "Mahdi"},
		last:  []string{"Ahmadi", "Rahimi", "Hosseini", "Karimi", "Mohammadi", "Sultani", "Nazari", "Haidari", "Jafari"}},
	"ps": {languages: []string{"ps", "fa"},
		first: []string{"Shafiq", "Naqibullah", "Zabihullah", "Rahmatullah", "Wahid", "Gul Ahmad", "Malalai", "Sharifa", "Khalida"},
		last:  []string{"Stanikzai", "Wardak", "Zazai", "Popalzai", "Mangal", "Shinwari", "Safi", "Khan"}},
	"ti": {languages: []string{"ti", "am"},
		first: []string{"Yonas", "Filmon", "Tesfay", "Dawit", "Meron", "Senait", "Helen", "Selam", "Kidane", "Rahel", "Semhar", "Mebrahtu"},
		last:  []string{"Tesfamariam", "Haile", "Gebremedhin", "Berhane", "Tekle", "Weldemichael", "Habte", "Kahsay"}},
	"so": {languages: []string{"so", "en"},
		first: []string{"Abdi", "Hodan", "Faadumo", "Ayaan", "Sahra", "Abdirahman", "Hamdi", "Liban"},
		last:  []string{"Warsame", "Farah", "Abdullahi", "Nur", "Jama", "Osman", "Hassan"}},
	"fr": {languages: []string{"fr", "ln"},
		first: []string{"Jean-Pierre", "Aminata", "Mamadou", "Fatoumata", "Ibrahima", "Grâce", "Christelle", "Divine", "Joseph", "Alpha", "Mariama"},
		last:  []string{"Diallo", "Bah", "Mbuyi", "Kalonji", "Tshibanda", "Nkongolo", "Barry", "Sow", "Camara", "Ngono"}},
	"en": {languages: []string{"en"},
		first: []string{"Chinedu", "Blessing", "Kwame", "Abena", "Priya", "Rahul", "Joy", "Emmanuel", "Gift", "Tunde"},
		last:  []string{"Okafor", "Mensah", "Adeyemi", "Boateng", "Sharma", "Patel", "Owusu", "Eze"}},
	"tr": {languages: []string{"tr"},
		first: []string{"Mehmet", "Ayşe", "Emre", "Fatma", "Hakan", "Zeynep", "Murat", "Esra"},
		last:  []string{"Demir", "Kaya", "Çelik", "Şahin", "Öztürk", "Aydın", "Yıldız"}},
	"ru": {languages: []string{"ru"},
		first: []string{"Ruslan", "Aslan", "Zarema", "Madina", "Olga", "Irina", "Sergei", "Timur"},
		last:  []string{"Magomedov", "Umarov", "Ivanova", "Petrenko", "Kovalenko", "Sokolov", "Bagirova"}},
	"es": {languages: []string{"es"},
		first: []string{"Carlos", "María José", "Luis", "Andrea", "Valentina", "Diego"},
		last:  []string{"González", "Rodríguez", "Pérez", "Ramírez", "Castillo"}},
	"ro": {languages: []string{"ro"}, eu: true,
		first: []string{"Andrei", "Ioana", "Mihai", "Elena", "Florin"},
		last:  []string{"Popescu", "Ionescu", "Dumitru", "Stan", "Constantin"}},
	"pl": {languages: []string{"pl"}, eu: true,
		first: []string{"Piotr", "Agnieszka", "Tomasz", "Katarzyna", "Marek"},
		last:  []string{"Nowak", "Kowalczyk", "Wiśniewska", "Wójcik", "Mazur"}},
	"bg": {languages: []string{"bg"}, eu: true,
		first: []string{"Georgi", "Desislava", "Ivan", "Mariya"},
		last:  []string{"Petrov", "Dimitrova", "Georgiev", "Ivanova"}},
}
