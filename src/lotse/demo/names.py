"""Fictitious names, nationalities and languages per country of origin for the demo caseload.

The names are common given and family names of each country, combined at random, so no real
person is described. Where a name comes from a non-Latin script the first spelling is the one a
German authority most often writes; ``variants`` are further transliterations found in
passports, BAMF files and school registers (the reason Lotse searches across name variants),
and ``script`` is the original spelling.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Name:
    latin: str
    variants: tuple[str, ...] = ()
    script: str = ""


def _is_script(text: str) -> bool:
    """Arabic, Cyrillic or Ge'ez script (Latin letters with diacritics do not count)."""
    return any(ord(ch) >= 0x0370 for ch in text)


def _names(*items: str | tuple[str, ...]) -> tuple[Name, ...]:
    """``"Anna"`` or ``("Mohammed", "Muhammad", "Mohamad", "محمد")`` (script last if not Latin)."""
    result = []
    for item in items:
        if isinstance(item, str):
            result.append(Name(item))
            continue
        latin, *rest = item
        script = rest.pop() if rest and _is_script(rest[-1]) else ""
        variants = tuple(dict.fromkeys(v for v in rest if v != latin))
        result.append(Name(latin, variants, script))
    return tuple(result)


@dataclass(frozen=True)
class CountryProfile:
    """Who comes from this country to Lippe, in the proportions the demo uses.

    ``statuses`` are demo status codes (see ``region.STATUS_KEYS``) with weights; ``languages``
    are ISO 639 codes with weights for the first language (a second one may be added).
    """

    code: str
    weight: int
    languages: tuple[tuple[str, int], ...]
    male: tuple[Name, ...]
    female: tuple[Name, ...]
    last: tuple[Name, ...]
    statuses: tuple[tuple[str, int], ...]
    second_languages: tuple[str, ...] = ()
    family_share: float = 0.5
    young_single_share: float = 0.2
    eu: bool = False
    extra: dict[str, str] = field(default_factory=dict)


ARABIC_MALE = _names(
    ("Mohammed", "Muhammad", "Mohamad", "Mohamed", "محمد"),
    ("Ahmad", "Ahmed", "Achmed", "أحمد"),
    ("Ali", "Aly", "علي"),
    ("Khaled", "Khalid", "Chaled", "خالد"),
    ("Omar", "Umar", "Omer", "عمر"),
    ("Youssef", "Yusuf", "Yousef", "Jussuf", "يوسف"),
    ("Hussein", "Husain", "Hussain", "حسين"),
    ("Mahmoud", "Mahmud", "Machmud", "محمود"),
    ("Ibrahim", "Ebrahim", "إبراهيم"),
    ("Abdullah", "Abdallah", "Abdulla", "عبدالله"),
    ("Bilal", "بلال"),
    ("Hamza", "Hamsa", "حمزة"),
    ("Mustafa", "Mostafa", "Moustafa", "مصطفى"),
    ("Karim", "Kareem", "كريم"),
    ("Tarek", "Tariq", "Tarik", "طارق"),
    ("Samer", "Samir", "سامر"),
)
ARABIC_FEMALE = _names(
    ("Fatima", "Fatma", "Fatimah", "فاطمة"),
    ("Maryam", "Mariam", "Meryem", "مريم"),
    ("Nour", "Noor", "Nur", "نور"),
    ("Aisha", "Aischa", "Aysha", "عائشة"),
    ("Rama", "راما"),
    ("Hiba", "Heba", "هبة"),
    ("Layla", "Leila", "Laila", "ليلى"),
    ("Rasha", "Rascha", "رشا"),
    ("Amal", "أمل"),
    ("Zainab", "Zeinab", "Sainab", "زينب"),
    ("Huda", "Hoda", "هدى"),
    ("Salma", "Selma", "سلمى"),
    ("Yasmin", "Jasmin", "Yasmine", "ياسمين"),
    ("Ranim", "Raneem", "رنيم"),
)
SYRIAN_LAST = _names(
    ("Al-Ahmad", "Alahmad", "Al Ahmad", "الأحمد"),
    ("Haddad", "Hadad", "حداد"),
    ("Khalil", "Chalil", "Khaleel", "خليل"),
    ("Hassan", "Hasan", "حسن"),
    ("Darwish", "Darwisch", "Derwish", "درويش"),
    ("Al-Hussein", "Alhussein", "Al Hussain", "الحسين"),
    ("Kassem", "Qassem", "Kasem", "قاسم"),
    ("Mustafa", "Mostafa", "مصطفى"),
    ("Othman", "Osman", "Uthman", "عثمان"),
    ("Suleiman", "Sulaiman", "Soliman", "سليمان"),
    ("Hamdan", "حمدان"),
    ("Nasser", "Naser", "Nassar", "ناصر"),
    ("Saleh", "Salih", "Salah", "صالح"),
    ("Al-Khatib", "Alkhatib", "El Khatib", "الخطيب"),
    ("Youssef", "Yousef", "Yusuf", "يوسف"),
    ("Mahmoud", "Mahmud", "محمود"),
    ("Abdo", "Abdou", "عبده"),
    ("Sheikho", "Scheicho", "Shekho", "شيخو"),
)
IRAQI_LAST = _names(
    ("Al-Jaburi", "Aljabouri", "Al Jubouri", "الجبوري"),
    ("Al-Obaidi", "Alobaidi", "Al Ubaidi", "العبيدي"),
    ("Kareem", "Karim", "كريم"),
    ("Abbas", "عباس"),
    ("Jasim", "Jassim", "Dschasim", "جاسم"),
    ("Khudair", "Khuder", "Chudair", "خضير"),
    ("Hassan", "Hasan", "حسن"),
    ("Murad", "Mourad", "مراد"),
    ("Saleh", "Salih", "صالح"),
    ("Hamid", "Hamed", "حامد"),
)
KURDISH_MALE = _names("Azad", "Baran", "Dilshad", "Rebwar", "Shivan", "Hozan", "Kawa", "Berzan")
KURDISH_FEMALE = _names("Berivan", "Rojda", "Dilan", "Hevin", "Nasrin", "Zozan", "Avin", "Ronahi")

AFGHAN_MALE = _names(
    ("Ahmad", "Ahmed"),
    ("Mohammad", "Mohammed", "Muhammad"),
    ("Ali Reza", "Alireza"),
    ("Mustafa", "Mostafa"),
    ("Hamid", "Hamed"),
    ("Jawad", "Javad", "Dschawad"),
    ("Sayed", "Said", "Sayyid"),
    ("Farhad", "Farhat"),
    ("Rahim", "Rahem"),
    ("Nasir", "Naser", "Nasser"),
    ("Shafiq", "Schafik", "Shafik"),
    ("Zabihullah", "Sabiullah", "Zabiullah"),
    ("Mahdi", "Mehdi"),
    ("Khalil", "Chalil"),
)
AFGHAN_FEMALE = _names(
    ("Fatima", "Fatema"),
    ("Zahra", "Sahra", "Zohra"),
    ("Maryam", "Mariam"),
    ("Shabnam", "Schabnam"),
    ("Parwana", "Parvana"),
    ("Mursal", "Mursol"),
    ("Nilofar", "Nilufar"),
    ("Sakina", "Sakineh"),
    ("Freshta", "Fereshta", "Fereshteh"),
    ("Roya", "Rojah"),
    ("Marzia", "Marsia", "Marziyeh"),
    ("Hasina", "Hassina"),
)
AFGHAN_LAST = _names(
    ("Ahmadi", "Ahmadie"),
    ("Mohammadi", "Mohamadi", "Muhammadi"),
    ("Rahimi", "Rahemi"),
    ("Hosseini", "Husseini", "Hussaini"),
    ("Karimi", "Kariemi"),
    ("Rezaei", "Rezai", "Resai"),
    ("Haidari", "Heydari", "Haideri"),
    ("Nazari", "Nasari"),
    ("Sultani", "Soltani"),
    ("Jafari", "Djafari", "Jaafari"),
    ("Noori", "Nuri", "Nouri"),
    ("Safi", "Safie"),
    ("Stanikzai", "Stanekzai"),
    ("Wardak", "Wardag"),
)
IRANIAN_MALE = _names(
    ("Mohammad", "Mohammed"),
    ("Reza", "Resa"),
    ("Amir", "Ameer"),
    ("Hossein", "Hussein", "Hosein"),
    ("Mehdi", "Mahdi"),
    ("Ali", "Aly"),
    ("Saeed", "Said", "Saied"),
    ("Behnam", "Behnaam"),
    ("Farid", "Fareed"),
    ("Kourosh", "Kurosch", "Koorosh"),
)
IRANIAN_FEMALE = _names(
    ("Zahra", "Sahra"),
    ("Maryam", "Mariam"),
    ("Fatemeh", "Fatima"),
    ("Niloufar", "Nilufar", "Nilofar"),
    ("Shirin", "Schirin"),
    ("Sara", "Sarah"),
    ("Leila", "Layla"),
    ("Parisa", "Parissa"),
    ("Mahsa", "Mahssa"),
    ("Azadeh", "Azade", "Asadeh"),
)
IRANIAN_LAST = _names(
    ("Mohammadi", "Mohamadi"),
    ("Hosseini", "Husseini"),
    ("Ahmadi", "Ahmadie"),
    ("Rezaei", "Rezai"),
    ("Moradi", "Muradi"),
    ("Karimi", "Kariemi"),
    ("Jafari", "Djafari"),
    ("Rahimi", "Rahemi"),
    ("Sadeghi", "Sadeqi", "Sadegi"),
    ("Ghasemi", "Qasemi", "Gasemi"),
    ("Tehrani", "Teherani"),
    ("Esmaili", "Ismaili", "Esmaeili"),
)
UKRAINIAN_MALE = _names(
    ("Oleksandr", "Aleksandr", "Alexander", "Oleksander", "Олександр"),
    ("Andrii", "Andriy", "Andrij", "Андрій"),
    ("Serhii", "Sergii", "Serhiy", "Sergej", "Сергій"),
    ("Dmytro", "Dmitrij", "Dmitro", "Дмитро"),
    ("Mykola", "Nikolai", "Mikola", "Микола"),
    ("Volodymyr", "Wolodymyr", "Vladimir", "Володимир"),
    ("Yurii", "Yuriy", "Jurij", "Юрій"),
    ("Ihor", "Igor", "Ігор"),
    ("Maksym", "Maxim", "Maksim", "Максим"),
    ("Artem", "Artjom", "Артем"),
    ("Bohdan", "Bogdan", "Богдан"),
    ("Vitalii", "Vitaliy", "Witalij", "Віталій"),
)
UKRAINIAN_FEMALE = _names(
    ("Olena", "Elena", "Jelena", "Олена"),
    ("Tetiana", "Tatiana", "Tetyana", "Tatjana", "Тетяна"),
    ("Nataliia", "Natalia", "Natalija", "Наталія"),
    ("Iryna", "Irina", "Ірина"),
    ("Oksana", "Oxana", "Оксана"),
    ("Yuliia", "Yulia", "Julija", "Юлія"),
    ("Kateryna", "Ekaterina", "Katerina", "Катерина"),
    ("Svitlana", "Swetlana", "Svetlana", "Світлана"),
    ("Liudmyla", "Ludmila", "Lyudmyla", "Людмила"),
    ("Anastasiia", "Anastasia", "Anastasija", "Анастасія"),
    ("Viktoriia", "Viktoria", "Wiktorija", "Вікторія"),
    ("Sofiia", "Sofia", "Sofija", "Софія"),
    ("Daryna", "Darina", "Дарина"),
)
UKRAINIAN_LAST = _names(
    ("Kovalenko", "Kowalenko", "Коваленко"),
    ("Shevchenko", "Schewtschenko", "Shevtchenko", "Шевченко"),
    ("Bondarenko", "Бондаренко"),
    ("Tkachenko", "Tkatschenko", "Ткаченко"),
    ("Kravchenko", "Krawtschenko", "Кравченко"),
    ("Melnyk", "Melnik", "Мельник"),
    ("Boiko", "Boyko", "Bojko", "Бойко"),
    ("Kovalchuk", "Kowaltschuk", "Koval'chuk", "Ковальчук"),
    ("Oliinyk", "Oleinik", "Olijnyk", "Олійник"),
    ("Shevchuk", "Schewtschuk", "Шевчук"),
    ("Polishchuk", "Polischtschuk", "Поліщук"),
    ("Lysenko", "Lissenko", "Лисенко"),
    ("Marchenko", "Martschenko", "Марченко"),
    ("Savchenko", "Sawtschenko", "Савченко"),
    ("Rudenko", "Руденко"),
    ("Moroz", "Мороз"),
)
TURKISH_MALE = _names(
    "Mehmet",
    "Mustafa",
    "Ahmet",
    "Ali",
    "Hüseyin",
    "Hasan",
    "İbrahim",
    "Murat",
    "Emre",
    "Yusuf",
    "Burak",
    "Serkan",
    "Ömer",
    "Kemal",
)
TURKISH_FEMALE = _names(
    "Ayşe",
    "Fatma",
    "Emine",
    "Hatice",
    "Zeynep",
    "Elif",
    "Merve",
    "Büşra",
    "Esra",
    "Gülsüm",
    "Sevgi",
    "Derya",
)
TURKISH_LAST = _names(
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Yıldırım",
    "Öztürk",
    "Aydın",
    "Özdemir",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Aslan",
    "Çetin",
    "Kara",
    "Koç",
    "Kurt",
)
ROMANIAN_MALE = _names(
    "Andrei",
    "Alexandru",
    "Ionuț",
    "Mihai",
    "Florin",
    "Gheorghe",
    "Constantin",
    "Marian",
    "Adrian",
    "Cristian",
    "Daniel",
    "Vasile",
    "Nicolae",
    "Ștefan",
)
ROMANIAN_FEMALE = _names(
    "Maria",
    "Elena",
    "Ioana",
    "Andreea",
    "Mihaela",
    "Gabriela",
    "Florentina",
    "Cristina",
    "Alexandra",
    "Nicoleta",
    "Daniela",
    "Georgiana",
)
ROMANIAN_LAST = _names(
    "Popescu",
    "Ionescu",
    "Popa",
    "Pop",
    "Radu",
    "Dumitru",
    "Stan",
    "Stoica",
    "Gheorghe",
    "Matei",
    "Ciobanu",
    "Rusu",
    "Munteanu",
    "Constantin",
    "Lungu",
    "Moldovan",
    "Toma",
    "Dinu",
)
BULGARIAN_MALE = _names(
    ("Georgi", "Georgij", "Георги"),
    ("Ivan", "Иван"),
    ("Dimitar", "Dimitr", "Димитър"),
    ("Nikolay", "Nikolai", "Николай"),
    ("Hristo", "Christo", "Khristo", "Христо"),
    ("Petar", "Peter", "Петър"),
    ("Stoyan", "Stojan", "Стоян"),
    ("Asen", "Assen", "Асен"),
    ("Mehmed", "Mehmet", "Мехмед"),
    ("Ahmed", "Ahmet", "Ахмед"),
)
BULGARIAN_FEMALE = _names(
    ("Maria", "Mariya", "Мария"),
    ("Ivanka", "Иванка"),
    ("Elena", "Jelena", "Елена"),
    ("Yordanka", "Jordanka", "Йорданка"),
    ("Desislava", "Dessislava", "Десислава"),
    ("Gergana", "Гергана"),
    ("Fatme", "Fatma", "Фатме"),
    ("Ayshe", "Ayşe", "Айше"),
)
BULGARIAN_LAST = _names(
    ("Ivanov", "Iwanow", "Иванов"),
    ("Georgiev", "Georgiew", "Георгиев"),
    ("Dimitrov", "Dimitrow", "Димитров"),
    ("Petrov", "Petrow", "Петров"),
    ("Nikolov", "Nikolow", "Николов"),
    ("Stoyanov", "Stojanow", "Стоянов"),
    ("Hristov", "Christow", "Христов"),
    ("Asenov", "Assenow", "Асенов"),
    ("Yusein", "Hyusein", "Хюсеин"),
    ("Mehmedov", "Mehmedow", "Мехмедов"),
)
ERITREAN_MALE = _names(
    ("Yonas", "Jonas", "ዮናስ"),
    ("Tesfaye", "Tesfay", "Tesfai", "ተስፋይ"),
    ("Mehari", "Meharie", "መሓሪ"),
    ("Dawit", "Dawitt", "ዳዊት"),
    ("Robel", "Roble", "ሮቤል"),
    ("Filmon", "Filimon", "ፊልሞን"),
    ("Samuel", "Samiel", "ሳሙኤል"),
    ("Habte", "Habtom", "ሃብተ"),
    ("Kidane", "Kidanie", "ኪዳነ"),
    ("Biniam", "Biniyam", "Bineam", "ቢንያም"),
)
ERITREAN_FEMALE = _names(
    ("Senait", "Senayt", "Sennait", "ሰናይት"),
    ("Helen", "Hellen", "ሄለን"),
    ("Selam", "Salam", "ሰላም"),
    ("Rahel", "Rachel", "ራሄል"),
    ("Freweini", "Frewoini", "Frewein", "ፍረወይኒ"),
    ("Luwam", "Luam", "ሉዋም"),
    ("Mebrat", "Mibrat", "መብራት"),
    ("Yordanos", "Yordanus", "ዮርዳኖስ"),
)
ERITREAN_LAST = _names(
    ("Tesfamariam", "Tesfamaryam", "ተስፋማርያም"),
    ("Gebremedhin", "Gebremedin", "Ghebremedhin", "ገብረመድህን"),
    ("Haile", "Hailè", "Hayle", "ሃይለ"),
    ("Tekle", "Teckle", "Teklè", "ተኽለ"),
    ("Berhane", "Berhan", "Birhane", "በርሀነ"),
    ("Woldu", "Weldu", "ወልዱ"),
    ("Kahsay", "Kahsai", "ካሕሳይ"),
    ("Ghebreyesus", "Gebreyesus", "ገብረየሱስ"),
    ("Asmerom", "Asmerum", "ኣስመሮም"),
    ("Mengisteab", "Mengistab", "መንግስትኣብ"),
)
SOMALI_MALE = _names(
    ("Abdirahman", "Abdurahman", "Abdirahmaan"),
    ("Mohamed", "Mohammed", "Maxamed"),
    ("Abdullahi", "Abdulahi", "Cabdullaahi"),
    ("Hassan", "Xasan"),
    ("Ahmed", "Axmed"),
    ("Ismail", "Ismaaciil"),
    ("Yusuf", "Yuusuf"),
    ("Abdiaziz", "Abdulaziz", "Cabdicasiis"),
)
SOMALI_FEMALE = _names(
    ("Hodan", "Hoodan"),
    ("Fadumo", "Faadumo", "Fatuma"),
    ("Amina", "Aamina"),
    ("Sahra", "Zahra", "Saxra"),
    ("Hawa", "Xaawo", "Hawo"),
    ("Khadija", "Khadiijo", "Xadiijo"),
    ("Asha", "Caasha", "Aisha"),
)
SOMALI_LAST = _names(
    ("Abdi", "Cabdi"),
    ("Hassan", "Xasan"),
    ("Mohamed", "Maxamed"),
    ("Ali", "Cali"),
    ("Farah", "Faarax"),
    ("Osman", "Cismaan"),
    "Warsame",
    ("Jama", "Jaamac"),
    ("Nur", "Nuur"),
    ("Omar", "Cumar"),
)
POLISH_MALE = _names("Piotr", "Krzysztof", "Tomasz", "Paweł", "Marcin", "Łukasz", "Michał", "Jakub")
POLISH_FEMALE = _names("Anna", "Katarzyna", "Agnieszka", "Magdalena", "Joanna", "Monika", "Ewa")
POLISH_LAST = _names(
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Dąbrowski",
)
GUINEAN_MALE = _names("Mamadou", "Alpha", "Ibrahima", "Ousmane", "Abdoulaye", "Amadou", "Sekou")
GUINEAN_FEMALE = _names("Mariama", "Fatoumata", "Aissatou", "Kadiatou", "Hawa", "Binta")
GUINEAN_LAST = _names("Diallo", "Barry", "Bah", "Camara", "Sow", "Condé", "Keita", "Touré")
NIGERIAN_MALE = _names("Chinedu", "Emeka", "Oluwaseun", "Ibrahim", "Tunde", "Ikechukwu", "Samuel")
NIGERIAN_FEMALE = _names("Blessing", "Chioma", "Ngozi", "Funmilayo", "Precious", "Adaeze", "Joy")
NIGERIAN_LAST = _names("Okafor", "Adeyemi", "Okonkwo", "Eze", "Ogunleye", "Nwosu", "Bello")
INDIAN_MALE = _names("Rahul", "Arjun", "Vikram", "Suresh", "Rohit", "Karthik", "Aditya", "Pradeep")
INDIAN_FEMALE = _names("Priya", "Anjali", "Divya", "Lakshmi", "Kavya", "Sneha", "Deepa")
INDIAN_LAST = _names("Sharma", "Patel", "Reddy", "Nair", "Iyer", "Singh", "Kumar", "Menon", "Rao")


COUNTRIES: tuple[CountryProfile, ...] = (
    CountryProfile(
        code="UA",
        weight=24,
        languages=(("uk", 70), ("ru", 30)),
        second_languages=("ru", "en"),
        male=UKRAINIAN_MALE,
        female=UKRAINIAN_FEMALE,
        last=UKRAINIAN_LAST,
        statuses=(("temporary_protection", 100),),
        family_share=0.65,
        young_single_share=0.1,
    ),
    CountryProfile(
        code="SY",
        weight=21,
        languages=(("ar", 85), ("ku", 15)),
        second_languages=("en", "tr"),
        male=ARABIC_MALE,
        female=ARABIC_FEMALE,
        last=SYRIAN_LAST,
        statuses=(
            ("asylum_pending", 10),
            ("refugee", 36),
            ("subsidiary", 33),
            ("asylum_granted", 4),
            ("deportation_ban", 3),
            ("family_reunification", 9),
            ("well_integrated", 5),
        ),
        family_share=0.6,
    ),
    CountryProfile(
        code="AF",
        weight=12,
        languages=(("prs", 70), ("ps", 30)),
        second_languages=("fa", "en"),
        male=AFGHAN_MALE,
        female=AFGHAN_FEMALE,
        last=AFGHAN_LAST,
        statuses=(
            ("asylum_pending", 28),
            ("refugee", 20),
            ("subsidiary", 8),
            ("deportation_ban", 10),
            ("toleration", 14),
            ("humanitarian_admission", 12),
            ("well_integrated", 8),
        ),
        family_share=0.45,
        young_single_share=0.35,
    ),
    CountryProfile(
        code="IQ",
        weight=8,
        languages=(("ar", 55), ("ku", 30), ("ckb", 15)),
        second_languages=("en",),
        male=ARABIC_MALE + KURDISH_MALE,
        female=ARABIC_FEMALE + KURDISH_FEMALE,
        last=IRAQI_LAST,
        statuses=(
            ("asylum_pending", 25),
            ("toleration", 25),
            ("refugee", 25),
            ("subsidiary", 12),
            ("well_integrated", 13),
        ),
        family_share=0.5,
        young_single_share=0.3,
    ),
    CountryProfile(
        code="TR",
        weight=8,
        languages=(("tr", 75), ("ku", 25)),
        second_languages=("en",),
        male=TURKISH_MALE,
        female=TURKISH_FEMALE,
        last=TURKISH_LAST,
        statuses=(
            ("asylum_pending", 50),
            ("refugee", 15),
            ("toleration", 8),
            ("family_reunification", 15),
            ("skilled_worker", 12),
        ),
        family_share=0.45,
        young_single_share=0.3,
    ),
    CountryProfile(
        code="RO",
        weight=7,
        languages=(("ro", 85), ("rom", 15)),
        male=ROMANIAN_MALE,
        female=ROMANIAN_FEMALE,
        last=ROMANIAN_LAST,
        statuses=(("eu_free_movement", 100),),
        family_share=0.55,
        eu=True,
    ),
    CountryProfile(
        code="BG",
        weight=5,
        languages=(("bg", 60), ("tr", 40)),
        male=BULGARIAN_MALE,
        female=BULGARIAN_FEMALE,
        last=BULGARIAN_LAST,
        statuses=(("eu_free_movement", 100),),
        family_share=0.6,
        eu=True,
    ),
    CountryProfile(
        code="PL",
        weight=3,
        languages=(("pl", 100),),
        male=POLISH_MALE,
        female=POLISH_FEMALE,
        last=POLISH_LAST,
        statuses=(("eu_free_movement", 100),),
        family_share=0.4,
        eu=True,
    ),
    CountryProfile(
        code="IR",
        weight=4,
        languages=(("fa", 100),),
        second_languages=("en",),
        male=IRANIAN_MALE,
        female=IRANIAN_FEMALE,
        last=IRANIAN_LAST,
        statuses=(
            ("asylum_pending", 40),
            ("refugee", 30),
            ("toleration", 12),
            ("blue_card", 8),
            ("skilled_worker", 10),
        ),
        family_share=0.4,
        young_single_share=0.3,
    ),
    CountryProfile(
        code="ER",
        weight=3,
        languages=(("ti", 100),),
        second_languages=("ar", "en"),
        male=ERITREAN_MALE,
        female=ERITREAN_FEMALE,
        last=ERITREAN_LAST,
        statuses=(("refugee", 50), ("subsidiary", 30), ("asylum_pending", 20)),
        family_share=0.35,
        young_single_share=0.45,
    ),
    CountryProfile(
        code="SO",
        weight=2,
        languages=(("so", 100),),
        second_languages=("ar", "en"),
        male=SOMALI_MALE,
        female=SOMALI_FEMALE,
        last=SOMALI_LAST,
        statuses=(
            ("subsidiary", 35),
            ("deportation_ban", 10),
            ("asylum_pending", 30),
            ("toleration", 25),
        ),
        family_share=0.35,
        young_single_share=0.45,
    ),
    CountryProfile(
        code="GN",
        weight=2,
        languages=(("fr", 100),),
        second_languages=("en",),
        male=GUINEAN_MALE,
        female=GUINEAN_FEMALE,
        last=GUINEAN_LAST,
        statuses=(("toleration", 60), ("asylum_pending", 40)),
        family_share=0.15,
        young_single_share=0.7,
    ),
    CountryProfile(
        code="NG",
        weight=1,
        languages=(("en", 70), ("yo", 15), ("ig", 15)),
        male=NIGERIAN_MALE,
        female=NIGERIAN_FEMALE,
        last=NIGERIAN_LAST,
        statuses=(("toleration", 55), ("asylum_pending", 45)),
        family_share=0.3,
        young_single_share=0.5,
    ),
    CountryProfile(
        code="IN",
        weight=2,
        languages=(("hi", 50), ("ta", 25), ("en", 25)),
        second_languages=("en",),
        male=INDIAN_MALE,
        female=INDIAN_FEMALE,
        last=INDIAN_LAST,
        statuses=(("blue_card", 35), ("skilled_worker", 40), ("family_reunification", 25)),
        family_share=0.5,
    ),
)

COUNTRY_BY_CODE: dict[str, CountryProfile] = {country.code: country for country in COUNTRIES}

# Teilhabemanagement: young people (18–27) with Duldung or Gestattung, by country and status.
TOLERATED_YOUTH_STATUSES: tuple[tuple[str, int], ...] = (
    ("toleration", 50),
    ("asylum_pending", 35),
    ("training_toleration", 15),
)
EU_PROFILES: tuple[tuple[str, int], ...] = (("worker", 60), ("precarious", 30), ("family", 10))
TOLERATED_YOUTH_COUNTRIES: tuple[tuple[str, int], ...] = (
    ("AF", 30),
    ("IQ", 18),
    ("GN", 14),
    ("SY", 8),
    ("TR", 10),
    ("NG", 8),
    ("SO", 6),
    ("IR", 6),
)

# Demo persons and case managers: fictitious German names of staff.
STAFF_FIRST_FEMALE = (
    "Anna",
    "Julia",
    "Katrin",
    "Sabine",
    "Nadine",
    "Stefanie",
    "Lena",
    "Miriam",
    "Claudia",
    "Jana",
    "Kerstin",
    "Sandra",
)
STAFF_FIRST_MALE = (
    "Thomas",
    "Michael",
    "Jens",
    "Stefan",
    "Markus",
    "Tobias",
    "Daniel",
    "Jan",
    "Andreas",
    "Frank",
)
STAFF_LAST = (
    "Brinkmann",
    "Kleinebekel",
    "Meier",
    "Schäfer",
    "Husemann",
    "Tölle",
    "Wehmeier",
    "Grote",
    "Schröder",
    "Kuhlmann",
    "Vahle",
    "Niemeier",
    "Hagemann",
    "Strate",
    "Rieke",
    "Landwehr",
    "Plöger",
    "Begemann",
    "Kröger",
    "Ostermann",
)
