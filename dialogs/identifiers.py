"""Likely identifiers in text meant to be anonymised: names, dates of birth and other dates, NHS
numbers, unique pupil numbers, postcodes, street addresses, phone numbers and emails.

Golden rule 3: seek advice without disclosing the identity of the individual where possible. A
DSL note or a MASH consultation request is read by people who do not need to know who the child
is; this finds what would tell them. It is a warning, not a gate: the practitioner decides. So it
leans to catching (a needless "looks identifying" costs one tap) but stays quiet on the ages, year
groups, roles, agencies, times and relative dates anonymised notes are made of, or people learn to
tap past it. Pure and fast: regular expressions and a list of given names and nicknames across the
communities England's schools serve, kept here (no library ships such a list small enough, and one
with every name in the world flags "Will", "May" and "Grace" in ordinary sentences). People type
names in lower case and as nicknames no list holds, so the words around a word also make it a name:
"called", kin and titles ("nanna pat", "mr wright"), "abdi's mum", "little mo", "in yr 10", "(age 9)",
"the wrights next door"; a name that is also an everyday word needs such a cue. Where no cue word
is typed ("the girl is bisola", "tinashe and rutendo have been kept home"), a word in a person's place
that is not on a short list of common English words (english_words.txt, beside this file) is a name.
So is a word set off as people set names off: a short form and the full name in brackets, names
between commas after "both girls", what a child calls a parent in the family's language ("Baba
Jalloh"), someone to ring on a number. A note typed all in capitals is read as if in lower case.
Stories, rhymes and famous people ("Jack and the Beanstalk") are not the child, nor are places, classes
and inquiries named after people ("Rowan class", "the Queen Elizabeth Hospital", "the Victoria Climbié
inquiry"). Names met in passing are: before a bracket saying who the person is ("Lamin (year 9 boy)"),
after "spoke to" or "met", after a dash opening a clause, and in capitals inside an ordinary note.
Shapes are read, not lines: a weekday before any day and month in figures, a number and a place's name
after "at" whatever the street word, a room in a hostel or hotel, an email however loosely typed, a name
set off by any marks, a word no English list holds before "children"; and classes, houses and homes named
after trees, kings and cartoon characters are places and stories, wherever their noun stands.
A name is also read by its slot, in any case and from any community, when it is no English word on a
real lexicon (english_lexicon.py: SCOWL's words and proper nouns, 74,000 with their forms): after a title,
a kin or role word, "called", "re" or "for"; before what only a person does; before someone's kin or home;
as a household ("the mcallisters", "the nwosu family"). Given names that are also words keep their lists.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dialogs.english_lexicon import WORDS as _LEXICON_WORDS, is_english, is_proper

KINDS = ("name", "dob", "date", "nhs", "upn", "postcode", "address", "phone", "email")
KIND_LABELS = {
    "name": "a name", "dob": "a date of birth", "date": "a date", "nhs": "an NHS number",
    "upn": "a pupil number", "postcode": "a postcode", "address": "an address", "phone": "a phone number",
    "email": "an email address",
}


@dataclass(frozen=True)
class Finding:
    """One likely identifier: its kind and where it is in the text."""

    kind: str
    start: int
    end: int
    text: str


# ---- Reading a note quickly -----------------------------------------------------------------------

class _OnText:
    """A match found in the lower-cased note, read back from the note as typed."""

    __slots__ = ("match", "text")

    def __init__(self, match: re.Match, text: str) -> None:
        self.match, self.text = match, text

    def group(self, index: int = 0) -> str | None:
        """The words of the group as the practitioner typed them."""
        start, end = self.match.span(index)
        return None if start < 0 else self.text[start:end]

    def start(self, index: int = 0) -> int:
        """Where the group starts."""
        return self.match.start(index)

    def end(self, index: int = 0) -> int:
        """Where the group ends."""
        return self.match.end(index)

    def span(self, index: int = 0) -> tuple[int, int]:
        """Where the group starts and ends."""
        return self.match.span(index)


_LOWER_CASE_TWINS: dict[re.Pattern, re.Pattern] = {}


def _finditer_any_case(pattern: re.Pattern, text: str):
    """pattern.finditer(text) for a pattern that ignores case, run on the lower-cased note (about
    twice as fast: a long note is read in time while the practitioner waits)."""
    low = text.lower()
    if len(low) != len(text):
        return pattern.finditer(text)
    twin = _LOWER_CASE_TWINS.get(pattern)
    if twin is None:
        twin = _LOWER_CASE_TWINS[pattern] = re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
    return (_OnText(m, text) for m in twin.finditer(low))


# ---- Names -------------------------------------------------------------------------------------

# Common given names in England (ONS baby names of the last 20 years, and the parents' and
# grandparents' generations), across the communities schools serve.
_GIVEN_NAMES = frozenset("""
aaliyah aaron abdul abdullah abi abigail ada adam adebayo adele adrian aidan aiden aisha aleksander alex
alexander alexandra alexis alfie alfred ali alice alicia alisha alison alesha amanda amara amber amelia amelie
amina amir amira amy ana andre andrea andrew andy angela angus anna annabel annabelle anne annie anthony
antonio anya archie aria arianna arlo arthur arjun asha ashley ashton aston aurora ava avery ayaan ayesha ayla
bailey barbara barry beatrice bella ben benjamin beth bethany billy blake bobby bonnie brandon brian brooke
bryony caitlin caleb callum cameron carl carla carly carol caroline carys casey cassie catherine cerys
chanelle charles charlie charlotte chelsea cheryl chidi chloe christian christina christine christopher
ciara claire clara clare cody colin connor conor courtney craig daisy dakota damian daniel danielle danny
darcey darcie darcy darius darren david dawid dean deborah declan demi denise dennis derek dev dexter diana
dominic donna dylan eddie edward eleanor elijah elise eliza elizabeth ella ellie ellie-may elliot elliott
eloise elsie emilia emily emma erin esme ethan eva evan evelyn evie ezra faisal farah fatima fatma felicity
finlay finley finn fiona florence francesca frankie freddie freddy frederick freya gabriel gabriella gareth
gary gavin gemma george georgia georgina gracie graham gregory gurpreet hafsa hamza hana hannah harlow harley
harmony harper harpreet harriet harris harrison harry harvey hassan hayden hayley heather heidi helen henry
hollie holly hugo hussain ibrahim idris ilyas imogen isaac isabel isabella isabelle isaiah isha isla ismail
ivan ivy jack jackson jacob jacqueline jade jaden jake jakub james jamie jan jana jane janet jasmine jason
jasper jay jayden jaylen jeremy jess jessica jessie joanne jodie joe joel john johnny jon jonathan jordan
joseph josh joshua josie jude julia julie junaid justin kacper kai kaiden kamil karen karina kate katie kayden
kayla keira kelly kelsey kerry kevin khadija kian kieran kim kirsty kofi kyle kwame lacey laila lana laura
lauren layla leah lee leighton leo leon leonardo levi lewis lexi liam lilly lily lily-mae lilly-mae linda
lisa logan lola louie louis louise luca lucas lucy luke luna lydia lyla macie maddison madison maisie maja
malachi malik mandy maria mariam marie mariusz martha martin mary maryam mason matilda matthew maya megan
melissa mia michael michaela michelle mikey mila millie milo mohamed mohammad mohammed mollie molly muhammad
mustafa nadia nancy naomi natalie natasha nathan neil niamh nicholas nicola nicole nikola nina noah noor
nuala olivia oliwia ollie omar oscar owen paige pamela patrick paul paula peter phoebe piotr poppy precious
priya rachel rafael raheem rania rebecca reece reggie rhys ricky riley robert robyn rohan ronnie rory rosie
ross rowan ruby rupert ryan sadie safa sam samantha samir samuel sana sandra sara sarah saskia scarlett
sean sebastian shannon sharon shaun shauna sian sienna simon sofia sonia sonny sophia sophie stacey stanley
stella stephanie stephen steven stuart summer-rose susan suzanne tamara tanya tara taylor teagan teddy
terry theo theodore thomas tia tiffany tilly timothy toby tom tommy tony tracey tracy tyler tyrone tunde
umar usman valentina vanessa victor victoria vinnie violet wayne wiktoria william willow wojciech xavier
yasmin yousef yusuf zac zach zachary zain zainab zak zara zayn zoe zofia zuzanna
grace hope rose faith will may mark pat dean bill frank jean joy dawn sky ray rob ali autumn summer iris
olive june april august guy max rich sandy crystal destiny hunter chase reuben sunny
adeel ahmed ahmad akash alan albert alistair amit anas angelo asad austin ayden bartosz bradley brendan
bruno carlos carter casper cian ciaran clayton clive conrad corey damien dane danyal dario deacon dominik duncan
eden elias emil emmanuel enzo eric ewan fabian felix filip francis fraser geoffrey gordon grayson hadi haris
hector howard hugh ian imran jai jamal jared jaxon jayce jenson jerome jesse jimmy joey jonah jose julian kabir
kane karim keegan keith kenny kenneth kobe krzysztof kuba lachlan lawrence lenny lennon lennox lorcan luis lukas
marcel marcus mario marley martyn mateo mateusz maximilian micah michal mitchell morgan nathaniel neville nico
nigel niall oakley orion otis pablo patryk perry philip phillip pierre rafe rajesh ralph ramon rayan richard
robbie rocco roman ronan rudy rufus russell ryley saif sami samson scott seb shane shay sidney stefan sufyan
szymon tariq tate terence tobias travis trevor troy tyson vincent wesley wilfred wiktor wyatt yahya yasin zakaria
zayan zion abbie abbey adaeze agnieszka aimee alana alba aleena alexa alina alyssa amaya anais aneesa anika
annabella antonia aoife ariana arya astrid ayat beatrix becky beverley billie bianca bridget brogan bronwyn
caitlyn callie cara carmen cassidy celine chantelle chiamaka clarissa claudia connie cora daniela daria delilah
dominika dorothy edith elena eliana elif elin ellen elodie elsa emilie emmie enya esther eve ffion flora frances
gabriela gianna gloria gwen hafsah halima hanna helena hermione ines iqra ishani jaya jemima jenna jennifer
jenny joanna jocelyn jorja josephine kaitlyn kara karolina kasia katarzyna kathryn kayleigh keeley kendra kiera
kiara lara leila lena lexie lilah lillie lindsay liliana lorna lottie lucia lyra madeleine mae malak margaret
marnie martyna mckenzie meera melanie mira miriam misha natalia nell nevaeh nia nikita nora norah nyla orla
patricia penelope peyton pippa rachael raya rebekah rhianna rihanna rita romy rosa rosalie roxanne sabrina
safiya samira serena shakira sheila shelby simran skye stevie sumaya susie tallulah tayla tegan thea toni una
valerie vera verity vivienne wendy weronika winnie yara yvonne zahra zoya
angel blessing mercy belle ember robin miles junior dale glen lincoln hazel dolly rex
oliver albie hallie margot maeve nellie tomasz tomek marek pawel lukasz bartek oskar milosz igor alicja andrzej
grzegorz stanislaw ionut andrei alexandru mihai elena ioana bogdan florin vasile darius sorin maria adelina
ahmet mehmet emre yusuf kerem elif zeynep aliyu chinedu chioma emeka ifeoma ngozi oluwaseun temitope tobi
abena akua kojo yaw efua sanjay sunil anil rahul ravi deepak vikram pooja anjali neha sunita rajinder
jaspreet manpreet sukhdeep navdeep amrit tahir bilal shahid waqas nadeem rizwan sajid zubair nasreen shabana
rukhsana parveen shazia samina bushra sadia mehreen
""".split())
# Round 2: given names and the short forms people type, across the communities England's schools
# serve (English, Scottish, Welsh, Irish and Irish Traveller, Caribbean, West and East African,
# Somali, Eritrean, Pakistani, Bangladeshi, Indian, Sikh, Sri Lankan, Arabic, Kurdish, Afghan,
# Turkish, Polish, Romanian, Lithuanian, Roma, Portuguese, Chinese, Vietnamese, Filipino). Typed
# in lower case they are still names: a child is as findable as "shanice" as "Shanice".
_GIVEN_NAMES = _GIVEN_NAMES | frozenset("""
krystal krystle chrystal tasha
bev des shaz baz gaz daz kev steve stevie dave davey mick mickey micky mike jim pete phil trev bri sal sally
tina trish kath cath cathy debbie debs jackie jo lou mel nikki nicky vicky becky bex jen liz lizzie maggie meg
peggy izzy izzie issy bobbie georgie ted stan sid len ernie wilf vince vinny gerry jerry lenny benny danny
donny jonny dom nat matt fred bert jase jaz jas leanne lianne shelley charlene sharlene shirley maureen pauline
doreen brenda eileen irene marilyn janice lesley leslie gillian gill lynne lynn elaine carole audrey marjorie
beryl doris edna hilda vera glenys mavis ethel brayden braxton bentley brody kobi kodi ellis tommy-lee
shanice shaniqua tanisha latoya keisha kiesha jermaine dwayne duane deshawn deshane tyrese tyreece tyriq
marlon delroy winston leroy errol desmond clinton lloyd dionne marcia shereen janelle kareem kemar jahmal
jamarl jaheim jahmai kymani kemani imani amani aliyah jada jalen makayla mikayla tanika shantelle chantel
shanelle tiana tianna khalil kwabena kwasi kwaku ama yaa akosua esi adjoa ebo kweku kezia keziah
chukwuemeka chidera chinonso chisom chinaza obinna ikenna ifeanyi uchenna nnamdi ebuka somto tochukwu kelechi
kene adaora amarachi nkechi nneka oluwatobi damilare damola dami tolu tolulope tosin tomiwa ayo ayomide
ayodele adeola adebola bola bukola busola funmi funmilayo folake kemi kehinde taiwo yetunde yemi segun seun
femi dapo wale kunle babajide jide lanre sade simi temi morayo moyo ife ifeoluwa fola opeyemi oyin godswill
emmanuella abdi abdirahman abdullahi abdikarim abdirizak abdiwali mohamud hussein liban mahad bashir guled
idil hodan hibo ifrah ayan amal anisa fardowsa fadumo faadumo hawa hamdi ikran istahil khadra leyla muna
nimo nasra sahra sagal ubah najma ruqia ruqiya deeqa filsan yonas yohannes dawit tesfay tesfaye kidane
mehari semere merhawi filmon biniam bereket robel senait selam hiwet tsega rahel saba luwam winta yordanos
feven mekdes abeba meron tigist wanjiru wanjiku njeri kamau otieno ochieng akinyi achieng atieno wambui
mwangi baraka juma zawadi neema nakato babirye mukasa
aamir adnan arslan asif atif aydin azan danish ehsan fahad faizan farhan haider hasan humza irfan kamran
kashif khalid mohsin musa nabeel naveed noman obaid omer osman qasim raheel rehan rayyan saad sabir saqib
shahzad shoaib sohail suleman sulaiman talha tayyab umair waleed yasir zaid zohaib zeeshan aiza alishba
amna anaya anum areeba eman fariha hania hiba hina huma inaya javeria khadijah laiba maham mahnoor maira
mehwish minahil momina nimra rabia rida saima sania sidra sobia sumera tahira tayyaba uzma zoha zunaira
amaani marwa haleema hajra sumayyah ruqayyah zaynab habiba aminah shabnam nazia farzana rubina ruksana
nasima nazma abu rahim rashid rubel shafiq shohel sohel shamim sumon tanvir tahmid tamim tasnim tanjila
nusrat nafisa nabila sumaiya suraiya taslima farhana rokeya rumana jannat jannatul mahir mahin rafi rayhan
rehana ruhul saiful shahana shirin sharmin riya ria sabina
aarav aditya advik ankit arnav ayush dhruv gaurav harsh ishaan karan krish krishna kunal manish mohit naveen
neel nikhil pranav pranay raj rakesh rishi rohit sahil sameer shiv shivam siddharth suresh tarun varun
vihaan vivek yash aanya aditi ananya anushka avni deepa deepika diya divya gita ishita kavya kiran lakshmi
meena nisha priyanka radha saanvi sakshi sanjana shreya sneha sonali tanvi trisha vidya gurdeep harjit
harjinder harvinder jasvinder jaswinder kulwinder kuldeep manjit paramjit rajvinder sukhjinder sukhwinder
amandeep arshdeep gurleen harleen jasleen jaskaran jasmeet jasveer manveer navjot prabhjot simranjit
sukhpreet tejinder balwinder baljit davinder inderjit bhavesh hitesh jignesh nilesh paresh rupesh dipesh
mitesh hetal krupa nirali bhavna dipa hema jyoti kajal tharun thushan kajan kajanan kishan nirojan
pirashanth sajeevan sivakumar thanushan vithushan abinaya anusha dharshini kavitha keerthana nivetha
sharmila thushara tharsika vithya janani kamala
abdallah abdelrahman amr ayman bassam fadi fares hamid hussam jamil khaled mahmoud majid marwan mazen
mohannad mostafa nabil nasser osama rami salah salem tarek wassim youssef ziad aya dima hala hanan heba huda
lama layan lina manar nour rahaf rana rasha reem rima sahar salma shahd zeina zeinab leen joud tala rawan
ghina farida noura azad aram baran dilan dilshad hawre hemin hiwa karwan rebin rebaz shivan soran zana
zhyar aveen avin berivan dilnaz helin jiyan nazdar ronahi rojin shilan viyan rozhin ajmal baryalai farid
habib jawad mansoor mirwais nasir naweed rahmat sayed sohrab wahid zabihullah zalmai fereshta fariba
freshta gulalai mahbooba malalai marzia mursal nargis parwana sharifa zarghona zohal zuhal
arda baris berk burak cem efe emir eren furkan hakan kaan murat ozan selim serkan yigit ayse aylin beren
buse cansu defne derya ebru ecrin esra gizem hatice irem melek merve nehir ozge selin sevgi sude tugba
yagmur zehra azra eylul duru nisa
antoni franciszek hubert karol krystian maciej marcin mikolaj nikodem oliwier przemek rafal zbigniew agata
aleksandra ewa iga iwona justyna kamila kinga klaudia magda magdalena malgorzata marta milena monika
paulina sylwia ola gosia basia catalin ciprian cosmin cristian dragos iulian marius mircea nicolae ovidiu
radu razvan valentin vlad adina andreea camelia cristina denisa florentina georgiana larisa loredana
madalina mihaela oana raluca roxana roxanna simona teodora arnas arturas dovydas domantas emilis gabrielius
jonas karolis kajus mantas matas nojus paulius tomas vytautas aiste austeja egle emilija gabija greta ieva
kamile migle rugile ugne urte vilte goda lukne marian roberto denis dusan jozef lubomir miroslav stanislav
vladimir zaneta gizela vanesa nikoleta lenka petra veronika matej patrik kristina terezia adela barbora
afonso diogo duarte goncalo guilherme joao lourenco miguel nuno pedro rodrigo rui tiago vasco beatriz
carolina leonor mariana matilde margarida joana filipa raquel catarina madalena luana gustavo vinicius
thiago larissa leticia isadora
wei jun hao jie ming jia mei xin ying xiao jing yun zhen xiang siu yee kwan hui zixuan zihan yuxuan haoran
yichen junjie jiayi xinyi yutong ruoxi yan lin ling feng anh binh cuong duc dat hanh hieu hoang huong huy
khanh khoa linh minh ngoc nguyet nhung nhi phong phuong quan quang quynh thanh thao thuy tien trang
trinh trung tuan tung uyen viet vy xuan jomar rhea rowena marites maricel marivic analyn angelica kristine
jessa jonalyn aileen arlene jhun
aisling caoimhe clodagh dearbhla eabha eimear fiadh grainne roisin saoirse siobhan sinead sorcha aine
mairead brigid kathleen caitriona cathal colm conall cormac darragh donal donnacha eoin fionn fergal
odhran oisin padraig paddy ruairi seamus tadhg bridie biddy hughie francie christy mickey willie jody
ailsa eilidh mhairi morag catriona iona ailidh euan hamish ruaridh alasdair gregor struan calum innes
kenzie bethan dafydd eira elen eleri gethin gwenllian gruffydd huw iestyn ioan llinos lowri mali osian
rhian rhiannon rhodri sioned tomos wyn cai cadi seren deio ifan mabli alaw efa taliesin
mo jay kit sol ash bob don sue nick gene pearl favour praise divine miracle victory gift peace treasure
princess honey cherry can ion son long van hung dung tam hoa bao lan mai
olamide temide jolade ayodeji maksymilian dominykas benas arnas rokas jokubas augustas gustas herkus titas
adomas aronas ignas justas kristupas nedas
motiejus aistis edvinas ernestas martynas povilas rytis simonas tadas vakaris deividas eimantas laurynas
kamal nihal vishal iqbal rares olek bisi eugen ionel aleksandr dimitris yiannis giannis kostas andreas vasilis
christos panos stavros nikos nicolas matthias marcos
""".split())
# Round 2 everyday words that are also given names: names only with a cue.
_AMBIGUOUS_MORE = frozenset("""
mo jay kit sol ash bob don sue nick gene pearl favour praise divine miracle victory gift peace treasure
princess honey cherry can ion son long van hung dung tam hoa bao lan mai christian jack mick harsh shiv
berk dat paddy biddy matt dom stan
""".split())
# Common surnames in England, for a surname typed in lower case where the words around it say a
# person or household ("mr wright", "the hendersons again", "the kowalski kids").
_SURNAMES = frozenset("""
smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson thompson wright walker
edwards hughes hall lewis harris clarke clark patel jackson wood turner martin cooper hill ward morris moore
lee baker harrison morgan allen james scott phillips watson davis parker price bennett griffiths mitchell
kelly cook carter richardson bailey collins bell shaw murphy miller cox richards khan marshall anderson
simpson ellis adams singh begum wilkinson foster chapman powell webb rogers mason ali hussain campbell
matthews owen palmer holmes mills barnes knight lloyd butler russell barker fisher stevens jenkins murray
dixon harvey graham pearson ahmed fletcher walsh kaur gibson howard andrews stewart elliott reynolds
saunders payne fox ford pearce brooks lawrence cole atkinson bradley spencer gill dawson burton watts
booth perry ryan grant wells armstrong francis rees hayes hart hudson newman barrett webster hunter gregory
carr lowe marsh riley dunn woods parsons berry reid holland hawkins harding porter robertson newton oliver
reed kennedy williamson gardner shah dean lane cooke bates henderson parry burgess bishop walton burns
nicholson shepherd ross freeman warren nicholls hamilton byrne sutton mcdonald yates hodgson robson curtis
hopkins harper coleman watkins moss mccarthy chambers griffin osborne johnston gordon doyle wallace
hutchinson rowe burke pritchard gilbert willis higgins stevenson stephenson hammond arnold buckley walters
hewitt barber nelson slater austin sullivan whitehead lambert stephens akhtar lynch goodwin barton woodward
thomson cunningham quinn barnett baxter bibi clayton nash greenwood jennings holt kemp poole gallagher bond
stokes tucker davidson fowler heath middleton lawson jarvis gibbs ferguson hayward carroll douglas
dickinson todd barlow peters lucas knowles hartley miah simmons morton farrell duncan mcdonagh maughan
connors joyce mongan doherty mcginley okafor okonkwo adeyemi mensah asante boateng owusu osei nowak
kowalski kowalczyk wisniewski wojcik kaminski lewandowski zielinski popescu ionescu popa nguyen tran pham
hoang wong chan cheung wang zhang liu chen huang zhao santos silva ferreira pereira costa oliveira
rodrigues martins yilmaz kaya demir sahin celik hassan mohamed mohamud abdi warsame farah osman mahmood
iqbal rashid rahman uddin islam chowdhury hossain sharma kumar gupta mistry chauhan desai joshi mehta
sandhu dhillon bains johal sidhu grewal kang bhatti raja butt malik mirza qureshi siddiqui sheikh chaudhry
daniels hargreaves brennan mcleod odonnell
aziz nawaz anwar o'driscoll o'brien o'connor o'neill o'sullivan mcallister mckenzie mcgregor
""".split())
# Words that describe a child's heritage or a kind of death review, after a people word in brackets.
_ETHNICITY_WORDS = frozenset("gypsy traveller traveler heritage race infant origin background descent".split())
# Given names that are also everyday words (or months): a name only where the sentence says so
# ("mum Pat", "Mrs May", "called Grace") or written mid-sentence with a capital.
_AMBIGUOUS = frozenset(
    "grace hope rose faith will may mark pat dean bill frank jean joy dawn sky ray rob ali autumn summer iris "
    "olive june april august guy max rich sandy crystal destiny hunter chase sunny jack jade holly ivy amber "
    "ruby poppy violet willow harmony precious mason taylor lee kim carol victoria jordan georgia florence "
    "chelsea paris india brooke angel blessing mercy belle ember robin miles junior dale glen lincoln hazel "
    "dolly rex".split()) | _AMBIGUOUS_MORE
# Names that are also verbs: after "dad" or "mum" in lower case they are what the parent does.
_VERB_NAMES = frozenset("will may mark rob pat bill chase hope frank max sky ray guy dean can long sue nick gift "
                        "hung kit bob don jack".split())
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow".split())
_MONTHS = frozenset("january february march april may june july august september october november december".split())

# People words: what follows them is often the person's name ("mum Sarah", "child olivia").
_PEOPLE = (
    r"child|pupil|student|learner|boy|girl|baby|toddler|infant|son|daughter|mum|mummy|mom|mother|dad|daddy|"
    r"father|step-?dad|step-?mum|step-?father|step-?mother|brother|sister|sibling|twin|nan|nana|nanna|gran|"
    r"granny|grandma|grandad|grandpa|grandmother|grandfather|aunt|auntie|aunty|uncle|cousin|partner|"
    r"boyfriend|girlfriend|carer|teenager|teen|young person|yp|friend|neighbour|husband|wife|niece|nephew|"
    r"foster carer|lodger"
)
# Letters in any alphabet England's names are written in ("Siobhán", "Zoë", "Łukasz").
_WORD = r"[^\W\d_](?:[^\W\d_]|['\-])*"
_CAP = r"[A-Z][a-z]+(?:[\-'][A-Z]?[a-z]+)?|[A-Z]'[A-Z][a-z]+|Mc[A-Z][a-z]+"
# Capitalised words that start agency, service and document names, never a person's.
_NOT_NAMES = frozenset("""
the a an and or but if of in on at to for with from by is was are were be been has have had he she they it
we i you his her their our my your this that these those there here what when where who why how not no yes
children child childrens social care services service early help health mental police school primary
academy college nursery reception year section protection plan need in-need conference team unit hub mash
camhs lado prevent court family families services' council local authority hospital gp a&e nhs trust
mum dad mother father stepdad stepmum nan gran grandma grandad aunt uncle brother sister baby boy girl
pupil student teacher head deputy dsl senior lead worker officer nurse doctor visitor manager
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow christmas easter
january february march april may june july august september october november december
street road avenue lane close crescent drive way grove gardens place terrace walk court park
english british polish muslim christian asian black white
abuse investigation exploitation sexual criminal safeguarding support development welfare education behaviour
special needs disability learning youth offending justice domestic violence board partnership panel centre
foundation network response assessment referral front door contact review meeting order strategy looked after
""".split())
# After a sentence-opening everyday name: "Hope is what she lost", "Will is the word", "Frank and
# open", "Joy and relief", "Sky and Netflix": a thing or a quality, not a person.
_NOT_A_SUBJECT = re.compile(r"\s+(?:is|was)\s+(?:what|all|something|everything|nothing|key|important|why|how|"
                            r"the\s+(?:word|thing|only\s+thing|key|problem|issue)|a\s+(?:word|thing))\b")
# "Jordan is where the family came from", "Joy was not the word", "Grace is a value our school
# promotes": the sentence goes on about the word, not a person. "Grace is a quiet girl", "Will is
# the eldest", "Hope is 7" go on about a person, and stay names.
_IS_WAS = re.compile(r"\s+(?:is|was)\s+(?:not\s+)?")
_THING_PREDICATE = re.compile(r"(?:where|what|when|why|how|all|something|everything|nothing|key|important|central|"
                              r"vital|valued|precious\s+to|in\s+short\s+supply|missing\s+from|one\s+of\s+(?:our|the|"
                              r"their|its|my)\s+(?:school\s+)?(?:values?|words?|things?|themes?))\b", re.IGNORECASE)
_ARTICLE_PHRASE = re.compile(r"(?:a|an|the)\s+((?:[\w'\-]+\s*){1,4})", re.IGNORECASE)
_THING_NOUN = re.compile(r"\b(?:values?|virtues?|words?|things?|country|countries|place|city|name|feeling|quality|"
                         r"gift|song|hymn|film|book|colou?r|month|season|flower|plant|stone|theme|idea|topic|brand|"
                         r"verb|noun|lesson|key|problem|issue|part)\b", re.IGNORECASE)
_PERSON_NOUN = re.compile(r"\b(?:" + _PEOPLE + r"|lad|lass|man|woman|kid|one|carer|victim|eldest|youngest|oldest|"
                          r"middle|only|pupils?|students?|girls?|boys?|twin|witness|person|who)\b|\d", re.IGNORECASE)
_AND_NEXT = re.compile(r"\s+(?:and|or|&)\s+(" + _WORD + r")")
_PERSON_AFTER_AND = frozenset("her his him she he i me mum dad brother sister friend friends boyfriend girlfriend "
                              "partner son daughter baby".split())


def _thing_not_person(text: str, end: int) -> bool:
    """True when a sentence-opening everyday name is used as a word: "Hope is what", "Frank and open"."""
    if _NOT_A_SUBJECT.match(text, end):
        return True
    m = _IS_WAS.match(text, end)
    if m:
        if _THING_PREDICATE.match(text, m.end()):
            return True
        phrase = _ARTICLE_PHRASE.match(text, m.end())
        # a person by default ("Will is the subject of a plan"): only a thing-word makes it a word
        return (phrase is not None and _THING_NOUN.search(phrase.group(1)) is not None
                and not _PERSON_NOUN.search(phrase.group(1)))
    m = _AND_NEXT.match(text, end)
    if m:
        nxt = m.group(1)
        # "Grace and Tom", "Grace and her brother" are people; "Joy and relief", "Sky and Netflix" not
        return not (nxt.lower() in _PERSON_AFTER_AND or _given(nxt))
    return False


# "Amazing Grace is the song she sings", "the class read Matilda", "singing Hey Jude": a title, not
# the child.
_TITLE_BEFORE = re.compile(r"\b(?:sing|sings|singing|sang|sung|read|reads|reading|watched|watches|watching|hymn|"
                           r"pretend(?:s|ing|ed)?\s+to\s+be|"
                           r"song|book|film|movie|musical|dressed\s+(?:up\s+)?as|dresses\s+(?:up\s+)?as|"
                           r"songs?\s+(?:from|off|out\s+of)|(?:production|performance|rehearsals?)\s+(?:of|for)|"
                           r"costume\s+(?:as|of)|(?:book|reader|novel)\s+(?:is|was)|"
                           r"(?:song|hymn|show|play|nativity|panto|pantomime|production|musical|film|carol)\s+"
                           r"(?:is|was|will\s+be|called|named))"
                           r"\s+(?:(?:[A-Z][\w']*|and|the|of|a)\s+){0,5}$")
# "Frank is a charity poster", "Oliver! and": a campaign or a show's title, not a person
_THING_AFTER = re.compile(r"\s+(?:is|was)\s+(?:a|an|the)\s+(?:[a-z]+\s+){0,2}(?:poster|posters|leaflet|campaign|"
                          r"advert|website|helpline|app)\b|!\s+(?:and|for|in|at|to|but|was|is|last|this)\b")
_TITLE_AFTER = re.compile(r"\s+(?:is|was|were)\s+(?:(?:the|a|her|his|their|our)\s+"
                          r"(?:favourite\s+|favorite\s+|class\s+|school\s+|bedtime\s+|new\s+)?"
                          r"(?:song|hymn|book|film|movie|story|musical|show|track|tune|rhyme|poem|character|"
                          r"cartoon|programme|game|reader|novel|text)\b|sung\b)", re.IGNORECASE)
# A given name that is also a faith or a brand, said as such.
_FAITH_BEFORE = re.compile(r"\b(?:is|are|was|were|a|an|as|devout|practising|practicing|being|not|both|evangelical|"
                           r"born-again|strict|strictly)\s+$", re.IGNORECASE)
_NOT_PERSON_AFTER = {
    "christian": re.compile(r"\s+(?:faith|family|families|church|churches|values|school|aid|community|background|"
                            r"parents|household|charity|union|group|leaders?|beliefs?|festival|home|youth|"
                            r"fellowship|ministry|centre|center|mission|organisation)\b", re.IGNORECASE),
    "sky": re.compile(r"\s+(?:tv|sports|box|garden|news|q|go|glass|package|subscription|and\s+netflix|"
                      r"or\s+netflix|movies|cinema|broadband|remote)\b", re.IGNORECASE),
}
# "text from Jordan said": a person after all.
_SAYS_AFTER = re.compile(r"(?:'s)?\s+(?:said|says|told|tells|texted|messaged|rang|sent|wrote)\b")
_STARTS = re.compile(r"(?:^|[.!?;:\n]\s*|\s-\s+|\(|\")$")

_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Miss|Dr|Master|mr|mrs|ms|mx|dr)\.?\s+(" + _WORD + r")")
_INTRO = re.compile(
    r"\b(?=[cnkgsfa])(?:called|named|known as|goes by|name is|name's|names are|"
    r"surname is|surname|first name is|first name|"
    r"forename is|forename|aka)\s*:?\s+(" + _WORD + r")", re.IGNORECASE)
_AFTER_PERSON = re.compile(r"\b(?=[cpslbgtidmfnauyhw])(?:" + _PEOPLE + r")\b"
                           r"[,:]?\s+(?:\(?)(" + _WORD + r")", re.IGNORECASE)
# "Grace said", "Mark was": an everyday word at the start of a sentence acting as a person.
_NAME_VERB = re.compile(r"(?:'s)?\s+(?:said|says|told|tells|was|is|has|had|disclosed|came|comes|and|and her|and his|"
                        r"reported|refuses|refused|cried|lives|lived)\b")
# Capitalised words that are verbs or adverbs in a heading ("Looked After", "Missing Child"), not names.
_VERBISH = re.compile(r"(?:ed|ing|ly)$")
# Given names that are also countries, cities or clubs: "from Jordan", "supports Chelsea" name a place
# a family came from or a team, which many share, not the child.
_PLACE_NAMES = frozenset("mali jordan chelsea florence georgia victoria lincoln austin dakota india paris sydney "
                         "aston sienna adelaide savannah brooklyn israel kenya chad eden orlando phoenix".split())
_PLACE_BEFORE = re.compile(
    r"\b(?:in|into|across|around|via|near|from|to|visiting|visit|visited|fled|left|leave|leaving|supports|support|"
    r"supporting|(?:plays|play|playing|played)\s+for|"
    r"(?:are|is|was|were|be|been|come|comes|came|coming|originally|fled|arrived|moved|moving|"
    r"deported|returned|all)\s+from|(?:went|go|goes|going|gone|been|moved|moving|move|travel+ed|travel+ing|"
    r"travel|flew|fly|flying|fled|return|returned|returning|back|taken|take|sent|send|trip|holiday|holidays|"
    r"relocated|relocating|deported|removed|flight|flights)\s+to)\s+$", re.IGNORECASE)
_PLACE_AFTER = re.compile(r"\s+(?:fc|f\.c\.|fan|fans|shirt|shirts|kit|match|matches|game|games|supporter|"
                          r"supporters|station|coach station|bus station|line|united|city|town|ladies|villa|"
                          r"trip|trips|holiday|holidays|flight|flights|visit|embassy|border)\b",
                          re.IGNORECASE)
_NEXT_CAP = re.compile(r"\s+(" + _CAP + r")")
_NEXT_WORD = re.compile(r"\s+(" + _WORD + r")")
_TOKEN = re.compile(_WORD)


# A family named by its surname ("Re: the Hendersons", "the Patel family"): one household, as
# identifying as a child's name. Not a group, place or service ("the Scouts", "the Midlands"), nor a
# family described by where it is from or its faith ("a Polish family", "the Roma family").
_FAMILY_PLURAL = re.compile(r"\b[Tt]he\s+((?:Mc|Mac|O')?[A-Z][a-z]*(?:-[A-Z][a-z]+)?[a-z]s)'?(?![\w\-])"
                            r"(?!\s+[A-Z][a-z])")  # "the Sports Hall" names a place, not a family
_FAMILY_NOUN = re.compile(r"\b(?:[Tt]he|[Rr]e:?|about|for|of|with|to|concerning|regarding)\s+"
                          r"((?:Mc|Mac|O')?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+(?:family|families|household|"
                          r"children|kids|twins|siblings|boys|girls|brothers|sisters|parents)\b")
_NOT_FAMILY = frozenset("""
scout brownie cub guide beaver rainbow cadet samaritan midland netherland philippine highland lowland olympic
paralympic simpson beatle avenger dale lake common lord court service polic parent governor teacher social
american african asian european caribbean arab kurd roma gypsy traveller irish scot welsh english british
polish czech slovak greek dutch swiss thai afghan turk muslim sikh hindu jewish christian catholic black white
mixed foster host birth adoptive kinship army forces refugee extended whole early troubled blended nuclear other
same new old local whole host next last first second third two three four five young older eldest youngest
hungry twin star bahama maldive canary falkland seychelle alp pyrenee andes balkan baltic nordic gulf west east
north south united state emirate pennine cotswold fen mersey tyne thames isle island crown monday tuesday
wednesday thursday friday saturday sunday christmas easter holiday summer winter spring autumn america
sim kardashian green blue red gunner spur saint magpie hammer royal tory marine guard mormon witness
down flat tower block estate house home hostel refuge ward
referral concern bruise injurie agencie professional staff note record report minute incident allegation
disclosure visit lesson exam test result grade class set group school grandparent adult youngster kid
peer gang drug weapon knive phone device worker officer nurse doctor carer neighbour friend relative
""".split())
# Trees and plants that children's homes, classes, houses and units are named after ("The Willows",
# "Heather house", "in Maple"); some are also given names, which the words around them tell apart.
_TREES_AND_PLANTS = frozenset("""
willow laurel beech lime oak elm birch pine cedar maple rowan hawthorn chestnut poplar sycamore larch alder
aspen juniper yew hazel holly ivy heather cherry apple acorn fern bramble briar bluebell primrose daisy poppy
jasmine lily iris rose violet magnolia lavender olive saffron sage clover myrtle linden cypress spruce fir
heath cedar orchid tulip sunflower snowdrop foxglove thistle cherry blossom conker sorrel sequoia redwood
""".split())
# Words that name kinds of people ("the Girls", "the Twins" capitalised for emphasis), not a surname.
_PEOPLE_WORD = re.compile(r"(?:" + _PEOPLE + r")", re.IGNORECASE)
_DEMONYM = re.compile(r"(?:ish|(?<!e)ese|ian|ean|ican|ani|eshi|ali|aqi|eli|eni|iti|udi|abi|ati|ari)$")
# An initial and a surname ("R. Castellano", "K Moreno, 14"): a name written as registers write it.
_INITIAL_NAME = re.compile(r"(?<![\w.&])([B-HJ-Z]\.?|A\.)\s?((?:Mc|Mac|O')?[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)"
                           r"(?!\w|&)")
_NOT_AFTER_INITIAL = frozenset("""
level levels star grade grades block wing ward shirt shirts team road plate turn ray rays pop safety class group
stream set side floor bus drive word list minus plus teams form vitamin strep roads line lines section
part plan type box bomb bombs scale scales vaccine vaccines deficiency positive negative carrier ireland wales
england scotland america africa london yorkshire korea
""".split())
_LABEL_BEFORE = re.compile(r"\b(?:hep|hepatitis|vitamin|plan|group|grade|category|cat|block|wing|type|class|set|"
                           r"year|form|stage|room|level|ward|floor|part|section|phase|option|tier|building|unit|"
                           r"flat|house|gate|zone|area)\s+$", re.IGNORECASE)


# A team a child plays in ("plays for the Tigers under 12s", "the Panthers netball team"), many children's.
_TEAM_NAMES = frozenset("tigers lions panthers eagles sharks hawks falcons jaguars leopards cheetahs pumas cougars "
                        "hornets dragons titans spartans vikings gladiators raiders stallions mustangs cobras "
                        "vipers scorpions rhinos bulldogs wildcats thunderbirds".split())
# ("plays with the Hendersons", "joined the Okafors for tea" are a family, so only "for" and "against")
_TEAM_BEFORE = re.compile(r"\b(?:plays?|played|playing|trains?|trained|training)\s+(?:for|against)\s+$|"
                          r"\b(?:supports?|supporting)\s+$", re.IGNORECASE)
_TEAM_AFTER = re.compile(r"['’]?\s+(?:under[\s\-]?\d+s?|u\d+s?|team|squad|fc|club|netball|football|rugby|cricket|"
                         r"hockey|basketball|training|coach|manager)\b", re.IGNORECASE)
# "the Signs of Safety model", "the Friends of Hilltop Park": a model, a book or a body titled so.
_OF_TITLE_AFTER = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")


def _family_surname(word: str) -> bool:
    """True when a capitalised word before "family" or made plural ("the Hendersons") can be a surname."""
    low = word.lower()
    # "-ing" and "-ly" words name programmes ("Supporting Families"); "-ed" would lose "the Ahmeds"
    return (not _PEOPLE_WORD.fullmatch(low) and not low.endswith(("ing", "ly")) and low not in _NOT_NAMES
            and low not in _NOT_FAMILY and low.rstrip("e") not in _NOT_FAMILY and not _DEMONYM.search(low)
            and low not in _MONTHS)


@lru_cache(maxsize=8192)
def _fold(word: str) -> str:
    """The word in lower case without accents or a possessive: "Siobhán's" -> "siobhan"."""
    low = word.lower().strip("'-").removesuffix("'s").removesuffix("’s").removesuffix("s'")
    if not low.isascii():
        low = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    return low


# The second halves of double-barrelled first names.
_DOUBLE_NAME_ENDS = frozenset("leigh lee mae may rose jo jay louise marie ann anne belle lou rae lynn lyn jane james "
                              "john grace jade lily lilly paige".split())


@lru_cache(maxsize=8192)
def _given(word: str) -> bool:
    low = _fold(word)
    if low in _GIVEN_NAMES:
        return True
    parts = low.split("-")
    if len(parts) < 2 or any(len(p) < 2 for p in parts) or any(p in _MONTHS for p in parts):
        return False
    # double-barrelled first names ("Brooke-Lynn", "Lily-Mae", "Ffion-Haf") are names; an everyday
    # compound with a name-like part ("Rose-tinted", "long-term", "Sky-high") is not
    return all(p in _GIVEN_NAMES for p in parts) or (
        any(p in _GIVEN_NAMES and p not in _AMBIGUOUS for p in parts)
        and not any(_VERBISH.search(p) for p in parts)) or (
        # "Kacey-Leigh", "Jaydon-Lee", "Ellie-Mae": a first part no word list holds, then a usual second name
        len(parts) == 2 and parts[1] in _DOUBLE_NAME_ENDS and parts[0] not in _ENGLISH and len(parts[0]) > 2
        and not _VERBISH.search(parts[0]))


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _surname_after(text: str, end: int) -> int:
    """The end of a surname following a given name ("Jane Smith"), or `end` if none follows."""
    m = _NEXT_CAP.match(text, end)
    if m and m.group(1).lower() not in _NOT_NAMES and m.group(1).lower() not in _MONTHS:
        return m.end()
    return end


# ---- Names by the words around them -----------------------------------------------------------

_KIN = (r"mum|mummy|mom|mam|mother|dad|daddy|father|nan|nana|nanna|nanny|gran|granny|grandma|grandad|grandpa|"
        r"grandmother|grandfather|uncle|auntie|aunty|aunt|cousin|brother|sister|bro|sis|step-?dad|step-?mum|"
        r"stepfather|stepmother")
# Words that follow "mum", "little", "called" and the like without being a name.
_CUE_STOP = frozenset("""
a an the and or but if of in on at to for with from by is was are were be been being has have had he she they it
we i you his her him them their our my your this that these those there here what when where who whom which why
how not no yes one ones so too very just also still then now often always never usually sometimes again later
already even only really ever soon once twice together herself himself themselves itself myself alone around
back out up off down over away round about into onto home told says said say keeps kept wants wanted will would
can could may might must shall should do does did don't doesn't didn't can't won't isn't wasn't hasn't and'
police ambulance childline school us me everyone someone anyone nobody nothing something names name bit lot
more less much many few all some any other another each both either neither such same new old own
boy girl boys girls kid kids child children baby babies lad lads lass one's man woman men women lady people
person thing things ones toddler teen teenager brother sister sibling siblings friend friends cousin
before after during since until every early late earlier first straight daily weekly tonight last next
isnt wasnt doesnt dont didnt cant wont wouldnt couldnt shouldnt hasnt havent aint ex pt yp cyp dsl
male female youngster patient victim casualty client suspect offender perpetrator subject adult referral
case student pupil learner infant resident tenant member mother father someone everyone
""".split())
_PETS = re.compile(r"\b(?:dog|dogs|cat|cats|puppy|kitten|pet|pets|hamster|rabbit|horse|pony|snake|parrot|fish|"
                   r"budgie|guinea pig|teddy|toy|doll|game|app|band|song|film|show|boat|car|charity|group|"
                   r"organisation|organization|service|project|scheme|club|team|company|programme|program|"
                   r"website|site|page|channel|shop|pub|school|nursery|place|book|story)\b[^.!?]{0,20}$",
                   re.IGNORECASE)
_CUE_BEFORE = re.compile(r"\b(?=[mdngucbslkaMDNGUCBSLKA])(?:(" + _KIN + r")|(mr|mrs|ms|mx|dr|miss)\.?|"
                         r"(little|lil|called|named|known as|"
                         r"goes by|aka))\s+(" + _WORD + r")", re.IGNORECASE)
_INITIAL_AFTER = re.compile(r"\s+(?![ai]\b)[A-Za-z]\.?(?=[\s,;:!?)]|$)")
# What a person does, said right after their name ("nanna pat says", "uncle shaz keeps").
_DOES = re.compile(r"\s+(?:says|said|is|was|were|are|has|had|keeps|kept|told|tells|rang|rings|came|comes|picks|"
                   r"picked|wants|"
                   r"lives|lived|gets|got|took|takes|went|goes|does|did|thinks|smells|drinks|hits|hit|shouts|"
                   r"turned|turns|gave|gives|makes|made|let|lets|brought|brings|sent|sends|who|reckons|swears|"
                   r"threatened|threatens|collects|collected|looks|looked)\b|\s*[,.;:!?)]|\s*$")
_DOES_NOW = re.compile(r"\s+(?:says|keeps|smells|picks|drinks|hits|wants|lives|gets|takes|goes|does|thinks|shouts|"
                       r"gives|makes|lets|brings|sends|reckons|swears|threatens|collects|looks after|has been|is\s+"
                       r"(?:always|often|drunk|violent|living|staying|looking|picking|a|an|the))\b")
_PET_NAMED = re.compile(r"\b(?:dog|cat|puppy|kitten|pet|hamster|rabbit|horse|pony|snake|parrot|budgie|teddy|doll)"
                        r"(?:'s name is|\s+(?:is\s+|was\s+)?(?:called|named))\s+$", re.IGNORECASE)
_PERSON_NEAR = re.compile(r"\b(?:" + _PEOPLE + r"|he|she|his|her|they|their|whose|lad|lass|man|woman|lady|bloke|"
                          r"fella|guy|kid|one|name)\b[^.!?]{0,20}$", re.IGNORECASE)
# "abdi's mother", "isla-rose's dad", "siobhán's foster carer"
_POSSESSIVE_KIN = re.compile(r"['’]s\s+(?:(?:older|younger|big|little|baby|step|"
                             r"foster|twin|new|real|birth|eldest|youngest|other)\s+)?(?:" + _KIN + r"|carer|"
                             r"childminder|boyfriend|girlfriend|partner|sibling|siblings|son|daughter|teacher|"
                             r"key worker|keyworker|social worker|tutor|parents?|address|house|home|flat|bedroom|"
                             r"phone|mobile|dob|birthday)\b", re.IGNORECASE)
# "farhan in yr 11", "ioana in class 3", "precious (age 9)", "kayden, 7,", "jordan (the boy, age 11)"
_CLASS_OR_AGE = re.compile(r"(?=[\s(,])(?:\s+(?:in|from)\s+(?:yr|year|y|yr\.)\s?\d{1,2}\b|"
                           r"\s+in\s+(?:class|reception|nursery|form)\b|"
                           r" ?\(\s*(?:the\s+[a-z]+,\s*)?(?:age|aged|now)?\s*\d{1,2}\s*(?:yo|y/o|yrs?|years?)?\s*\)|"
                           r" ?\(\s*the\s+[a-z]+,\s*(?:age|aged)\s*\d{1,2}|"
                           r",\s*(?:age\s+|aged\s+)?\d{1,2}\s*(?:yo|y/o|yrs?)?\s*(?:,|$|\s+(?:and|is|was|has|says|"
                           r"said|told|keeps|kept|with|lives|who)\b)|"
                           # "Olamide - 9J -", "Kyle (10B)": a form code set off after the name
                           r"\s+[-–]\s+(?-i:(?:Y|Yr)?\d{1,2}[A-Z]{1,2})\s+[-–]|"
                           r" ?\(\s*(?-i:(?:Y|Yr)?\d{1,2}[A-Z]{1,2})\s*\))", re.IGNORECASE)
# Where a note starts with who it is about ("farhan in yr 11 ...", "re: deshane's mum ...")
_SENTENCE_START = re.compile(r"(?:^|[.!?;:\n(\"]\s*|\s[-–]\s+|^(?:re|re:|pls|please|hi|advice|advice re|"
                             r"pls advise re|concern|concern re|concerns re|worried about)\s+)$", re.IGNORECASE)
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|this|that|his|her|their|my|our|your|its|whose|taxi|st|saint)\s+$",
                                re.IGNORECASE)
# "yr 6 boy - deshawn -": a name set off by dashes after a person word
_DASHED = re.compile(r"[-–]\s+(" + _WORD + r")\s+[-–]")
# "~ grace oduya ~", "** Kezia Mbeki **", "| Ruslan Abenov |", "// ameera shah //": a name set off by the
# same marks either side, as people set a name off in a note ("** update **" is a word, not a name).
_SET_OFF = re.compile(r"([~*|/=#_](?<![\w~*|/=#_][~*|/=#_])[~*|/=#_]{0,2})\s*(" + _WORD + r"(?:\s+" + _WORD +
                      r"){0,2})\s*\1(?![\w~*|/=#_])")
_PEOPLE_END = re.compile(r"\b(?:" + _PEOPLE + r")\s+$", re.IGNORECASE)
# The word that ends just before a cue ("abdi" in "abdi's mother")
_WORD_END = re.compile(r"(?<![\w'’\-])(" + _WORD + r")\s*$")
# "'Ruby' is the child's name", "she calls herself 'Tiggy'"
_QUOTED_VERB_BEFORE = re.compile(r"(?:\b(?:would|will|gonna|wanna|should|could|might|must|can|(?:going|wants?|wanted|"
                                 r"threatened|tried|try|needs?|had)\s+to)|['’]d|['’]ll)\s*$", re.IGNORECASE)
_QUOTED = re.compile(r"['‘\"“](" + _WORD + r")['’\"”]")
_NAME_NEAR_AFTER = re.compile(r"[^.!?]{0,40}\b(?:name|names|named|nickname|calls?\s+(?:herself|himself|themselves|"
                              r"him|her|them|the\s+\w+)|called|goes by)\b", re.IGNORECASE)
_NAME_NEAR_BEFORE = re.compile(r"\b(?:called|calls\s+(?:herself|himself|him|her|themselves)|name is|named|"
                               r"nickname is|known as|goes by)\s*$", re.IGNORECASE)
# "the wrights next door", "the hendersons again", "The O'Driscoll boy", "the kowalski kids"
# ("both Kowalski kids" names the same household as "the Kowalski kids")
_THE_HOUSEHOLD = re.compile(r"\b(?:[Tt]he|[Bb]oth(?:\s+the)?)\s+(" + _WORD + r")"
                            r"(?=\s+(?:(boy|girl|lad|lass|kid|kids|children|family|"
                            r"twins|boys|girls|household|baby|brood|lot)|(next door|again|upstairs|downstairs|"
                            r"across the road|over the road|down the road))\b)")
# "grace said", "mo from the estate": a person speaks or comes from somewhere near
_NAME_ACTS = re.compile(r"\s+(?:said|says|told|tells|disclosed|texted|messaged|"
                        r"from\s+(?:the\s+)?(?:estate|flats|block|next door|down the road|across the road|"
                        r"over the road|round the corner|upstairs|downstairs|the shop))\b", re.IGNORECASE)
# Groups children are in, named by a word no English list holds ("the madrasah kids").
_GROUP_WORDS = frozenset("madrasah madrassa madrasa mosque gurdwara mandir temple shul synagogue cadet cadets brownies "
                         "scouts beavers rainbows eyfs sendco senco camhs cin lac cla ehcp ks1 ks2 ks3 ks4 pru "
                         "nurture tiktok snapchat roblox fortnite esol eal fsm asd adhd gcse btec hijab hijabi niqab "
                         "lgbt lgbtq mandem gyaldem roadman youngers olders opps".split())
# Everyday compounds no short list holds ("the paddleboard kids", "the skatepark lads"): things, not surnames.
_COMPOUND_END = re.compile(r"..(?:board|ball|park|boat|bike|ground|room|line|house|yard|side|wood|field|time|work|shop|"
                           r"club|camp|school|water|craft|box|book|land|town|car|bus|way|game|gym|team|zone|around|"
                           r"about|over|up|out)$")
_THE_PLURAL_LOWER = re.compile(r"\bthe\s+([a-z][a-z'\-]+?)(?:es|s)\b")
# Surnames that are also everyday words ("the young boy", "the white family"): a household only
# with "next door" or "again"
_SURNAME_WORDS = frozenset("""
brown white green black young long rich sharp hardy hall wood woods hill king bell cook price page day west
ford fox mills banks bird stone cross marsh moss lane bond heath frost ball bishop knight wells chambers grant
read rose may miles little small hunter mason carter turner cooper porter fisher butler walker baker parsons
""".split())
_NOT_HOUSEHOLD = frozenset("""
deaf blind autistic adopted disabled trans gay quiet naughty little big tall small new other older younger
eldest youngest same first second third last next poor rich local whole two three four five twin twins
entire nuclear blended birth host royal school estate street care cp cin lac cla sen send fsm pp eal ehcp
tiny wee rough posh main real both cool bad good nice popular football gang drug wider extended foster
sixth year class form whole perfect normal average typical difficult problem troubled vulnerable
""".split())


# Words that name a role, a thing or a state ("caller", "tutor", "parent", "consent", "hunger").
_ROLE_ENDING = re.compile(r"(?:er|or|ent|ant|ist|ism|ion|ity|ness|ment|age|ise|ize|ure|ics|ide|nt)$")


def _stop(low: str) -> bool:
    return (low in _CUE_STOP or low in _NOT_NAMES or low in _MONTHS or _PEOPLE_WORD.fullmatch(low) is not None
            or len(low) < 2)


def _unknown_ok(word: str) -> bool:
    """A word not on the lists that may still be a name: not a plural, an -ed/-ing/-ly word or a stop word."""
    low = _fold(word)
    return not (_stop(low) or _VERBISH.search(low) or _ROLE_ENDING.search(low)
                or (low.endswith("s") and not low.endswith("ss"))
                or word.isupper() and len(word) > 1 or not low.replace("-", "").replace("'", "").isalpha())


# ---- Names a role or a surname makes sure ----------------------------------------------------

# Speaking, telling and wanting are what people do; "is", "was" and "has" follow things too ("summer
# fete was", "child seat is"), so after a word no list holds only these say a person.
_SPEECH_VERB = re.compile(r"\s+(?:says|said|told|tells|disclosed|discloses|reported|reports|rang|texted|messaged|"
                          r"keeps|kept|wants|wanted|cried|refuses|refused|won't|doesn't|didn't)\b", re.IGNORECASE)
# What a person does or is said to do, right after the words that name them ("grace mcleod said",
# "yp semhar says", "will okafor in year 9 told").
_PERSON_VERB = re.compile(r"\s+(?:says|said|is|was|were|has|had|keeps|kept|told|tells|rang|came|comes|wants|lives|"
                          r"lived|disclosed|discloses|reported|reports|cried|refuses|refused|won't|wont|doesn't|"
                          r"didn't|isn't|wasn't|can't|cannot|gets|got|went|goes|looks|seems|seemed|arrived|arrives|"
                          r"ran|runs|hits|hit|needs|needed)\b", re.IGNORECASE)
# Everyday words that follow a name-like word or a role ("summer term was", "child abuse is", "yp
# herself said", "grace period has"): the thing, not a surname.
_COMMON_AFTER = frozenset("""
term terms half fair camp school break holiday holidays trip club period garden bush water time day week month
party event festival job work season sun rain heat weather night evening morning weekend bank fool wedding
eyes gold alert ride raid scene speed power scheme book box group leader meth dust league hood
abuse care premium voice benefit poverty welfare health safety protection progress attendance behaviour
behavior maintenance neglect trafficking sexual physical mental emotional labour labor trust
herself himself themselves itself myself yourself ourselves also still now then just only even never always
often later first again today tonight yesterday soon too very really already once twice here there who which
that what when where why how this these those she he it they we you i me him her them us his its their our
my your not no yes all some any each every both either neither everyone someone anyone nobody everybody
somebody everything something anything nothing one the a an and but or nor so yet if as at by in on of to
for with from up out about over into onto note notes knife seat support absence data custody death sex tax
""".split())
_NOT_NAME_BEFORE = re.compile(r"\b(?:i|we|you|they|he|she|it|who|that|which|this|there|the|a|an|his|her|their|our|"
                              r"my|your|its|to|can|would|might|must|should|could|will|may|not|no|some|any|much|"
                              r"with|of|in|for|more|less|lost|give|gave)\s+$", re.IGNORECASE)
_SURNAME_SHAPE = re.compile(r"(?:mc|mac|o'|o’)[a-z]{3,}|[a-z]+(?:czyk|wicz|ski|ska|enko|ovic|ović|escu|oglu|poulos|"
                            r"akis|yan|son|sen|sson|stein|berg)")
_AND_KIN_AFTER = re.compile(r"\s+and\s+(?:(?:her|his|their)\s+(?:(?:little|big|older|younger|baby|twin|step|half)"
                            r"[\s\-])?(?:" + _KIN + r"|sibling|siblings|friend|boyfriend|girlfriend)\b"
                            # "Jade and the baby are in room 6": a person and the children with her
                            r"|(?:the|her|his|their)\s+(?:baby|babies|kids|children|twins|little\s+ones)"
                            r"\s+(?:are|were|have|had|went|left|moved|stay|stayed|slept|sleep|live|lived)\b)",
                            re.IGNORECASE)
_DEGREE_WORDS = frozenset("hons oxon cantab msc bsc phd mphil dphil pgce qts eng sci dip cert".split())  # "b.a. hons"
# (read from the first initial's dot, so that a long note is not tried at every letter)
_INITIALS_SURNAME = re.compile(r"\.(?<=[A-Za-z]\.)(?<![\w.][A-Za-z]\.)\s?(?:[A-Za-z]\.\s?){1,2}"
                               r"([A-Za-z][A-Za-z'’\-]{2,})")
_YP_WORD = re.compile(r"(?:yp|young person|pupil|child|student|learner)\b", re.IGNORECASE)


def _lower_full_name(text: str, start: int, end: int) -> int:
    """The end of "grace mcleod" in "grace mcleod said" (an everyday given name as a person), or 0."""
    if _NOT_NAME_BEFORE.search(text, max(0, start - 12), start):
        return 0  # "i hope", "the rose", "you may": the word, not a name
    if _AND_KIN_AFTER.match(text, end):
        return end  # "summer and her brother jack"
    low_name = _fold(text[start:end])
    if (low_name not in _VERB_NAMES and low_name not in _MONTHS and low_name not in _SEASONS
            and _DAY_AFTER_NAME.match(text, end) and _SENTENCE_START.search(text, max(0, start - 20), start)):
        return end  # "ruby tuesday 4th nov disclosed": who it is about, then when
    m = _NEXT_WORD.match(text, end)
    if not m:
        return 0
    word = m.group(1)
    low = _fold(word)
    if low in _COMMON_AFTER or low in _AMBIGUOUS or _stop(low):
        return 0
    # a surname no list holds is still a surname when what follows says a person ("mcleod said")
    shaped = low in _SURNAMES or _SURNAME_SHAPE.fullmatch(low) is not None
    if shaped and (_PERSON_VERB.match(text, m.end()) or _CLASS_OR_AGE.match(text, m.end())):
        return m.end()
    # months and seasons ("summer fete said") need a surname a list or its shape knows
    if (_unknown_ok(word) and _fold(text[start:end]) not in _MONTHS | {"summer", "autumn"}
            and (_SPEECH_VERB.match(text, m.end()) or _CLASS_OR_AGE.match(text, m.end()))):
        return m.end()
    return 0


def _cued_names(text: str) -> list[tuple[int, int]]:
    """Names found by what is said around them, in any case: "mum is called shanice", "nanna pat"."""
    spans: list[tuple[int, int]] = []
    for m in _finditer_any_case(_CUE_BEFORE, text):
        word = m.group(4)
        low = _fold(word)
        if _stop(low):
            continue
        s, e = m.start(4), m.end(4)
        if m.group(3):
            cue = m.group(3).lower()
            if cue in ("little", "lil"):
                # "little oliver-james", "little mo said"; not "little joy in her life", "a little angel"
                initial = _INITIAL_AFTER.match(text, e)  # "little ruby w said": a name and an initial
                e = initial.end() if initial else e
                does = _DOES.match(text, e)
                if _given(word) and (low not in _AMBIGUOUS or initial
                                     or (does and does.group(0).strip() not in ("", ",", "."))):
                    spans.append((s, e))
                continue
            if _PETS.search(text[max(0, m.start() - 30):m.start()]):
                continue  # the dog is called Biscuit
            # an English word after "called" is what someone is like ("known as quiet"), unless an
            # initial makes it a street name ("called big t")
            if _given(word) or (_unknown_ok(word) and not _DEMONYM_SURE.search(low)
                                and (not is_english(low) or _INITIAL_AFTER.match(text, e))
                                and _PERSON_NEAR.search(text[max(0, m.start() - 30):m.start()])):
                # ("the lad is Albanian": where he is from, which many share, not who he is)
                spans.append((s, _surname_after(text, e)))
        elif m.group(2):
            title = m.group(2).lower()
            if _given(word) or low in _SURNAMES or (title in ("mr", "mrs", "ms", "mx") and _unknown_ok(word)):
                spans.append((m.start(), _surname_after(text, e)))
        else:
            if _given(word):
                if low in _VERB_NAMES and not _capitalised(word):
                    nxt = _DOES.match(text, e)
                    if not nxt or nxt.group(0).strip() in ("", "and"):
                        continue  # "dad will", "mum may": the verb, not a name
                spans.append((s, e))
    for cue in _finditer_any_case(_NAME_ACTS, text):
        m = _WORD_END.search(text, max(0, cue.start() - 30), cue.start())
        if not m:
            continue
        word = m.group(1)
        low = _fold(word)
        if _given(word) and low not in _MONTHS and not _stop(low) and not re.search(
                r"\b(?:the|a|an|this|that|his|her|their|my|our|your|its)\s+$", text[max(0, m.start() - 8):m.start()]):
            spans.append((m.start(1), m.end(1)))
    for cue in _POSSESSIVE_KIN.finditer(text):
        m = _WORD_END.search(text, max(0, cue.start() - 30), cue.start())
        if not m or m.end() != cue.start():
            continue
        word = m.group(1)
        low = _fold(word)
        before = text[max(0, m.start() - 20):m.start()]
        if _stop(low) or low in _WEEKDAYS or _DETERMINER_BEFORE.search(before):
            continue  # "his son's mum", "the caretaker's son"
        if (_given(word) and (low not in _AMBIGUOUS or _capitalised(word))) or (
                _unknown_ok(word) and _SENTENCE_START.search(before) and not is_english(low)):
            spans.append((m.start(1), m.start(1) + len(word)))  # ("custody: detainee's phone" is a role)
    for cue in _CLASS_OR_AGE.finditer(text):
        m = _WORD_END.search(text, max(0, cue.start() - 30), cue.start())
        if not m:
            continue
        word = m.group(1)
        start = m.start(1)
        initial = len(word) == 1 and word not in "ai"
        if initial:
            # "poppy r in reception": a name and the initial of a surname, as registers shorten it
            m = _WORD_END.search(text, max(0, start - 30), start)
            if not m:
                continue
            word = m.group(1)
        if _stop(_fold(word)):
            continue
        if (_fold(word) in _AMBIGUOUS and not _capitalised(word) and not initial and cue.group(0).lstrip()[:1] in "if"
                and not re.search(r"\b(?:about|re:?|regarding|for|with)\s+$", text[max(0, m.start() - 12):m.start()])):
            # "there is hope in year 9", "summer in year 6": the word ("worried about precious in yr 8" is not)
            continue
        if _given(word) or (_unknown_ok(word) and _SENTENCE_START.search(text[max(0, m.start() - 20):m.start()])
                            and (initial or not is_english(_fold(word)))):
            spans.append((m.start(1), start + 1 if initial else m.end(1)))  # ("re attendance, age 12": a word)
        elif (not initial and _capitalised(word) and _foreign_word(word) and not _DEMONYM_SURE.search(_fold(word))
              and not _AT_PLACE.search(text, max(0, m.start() - 8), m.start())):
            # "concerns about Tyreese in year 8": a capitalised word no list holds, before a class or an age
            # ("a hotel in Croydon, 15," is a place: a word that says where comes before it)
            spans.append((m.start(1), m.end(1)))
    for m in _DASHED.finditer(text):
        if not _PEOPLE_END.search(text, max(0, m.start() - 30), m.start()):
            continue
        if _given(m.group(1)) or _unknown_ok(m.group(1)) and not is_english(_fold(m.group(1))):
            spans.append((m.start(1), m.end(1)))  # ("aunt - abroad - wants": where, not who)
    for m in _SET_OFF.finditer(text):
        words = m.group(2).split()
        if any(len(w) < 2 or _stop(_fold(w)) for w in words):
            continue
        listed = [w for w in words if _given(w) and (_fold(w) not in _AMBIGUOUS or len(words) > 1)]
        # stars and underscores are also bold and italics ("**Accurate**"): a listed given name there;
        # tildes, bars and slashes set off a name a list may not hold ("| Ruslan Abenov |")
        markdown = m.group(1)[0] in "*_#="
        if (listed or not markdown and len(words) > 1) and all(
                _given(w) or _fold(w) in _SURNAMES or _foreign_word(w) for w in words):
            spans.append((m.start(2), m.end(2)))
    for m in _QUOTED.finditer(text):
        word = m.group(1)
        if _stop(_fold(word)) or _QUOTED_VERB_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # (he would "mark" the teacher: a threat quoted word for word, not a name)
        if _NAME_NEAR_AFTER.match(text, m.end()) or _NAME_NEAR_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
            spans.append((m.start(1), m.end(1)))
    for m in _THE_HOUSEHOLD.finditer(text):
        word = m.group(1)
        low = _fold(word)
        stem = re.sub(r"(?:es|s)$", "", low) if m.group(3) else low
        if _stop(low) or low in _NOT_HOUSEHOLD or _DEMONYM.search(low) or low in _NOT_FAMILY:
            continue
        if re.match(r"(?:[a-z]{2,}-)?(?:o'|o’|mc)[a-z]{3,}(?:-[a-z'’]{2,})?$", low):
            # "the o'reilly boy", "the mcdonaghs again", "the o'sullivan-grant twins"
            spans.append((m.start(1), m.end(1)))
            continue
        # "the ahmadi family": a word no list holds, before a word that says one household
        # ("the drama kids", "the madrasah kids" are a group: only "family" and "household" say one home)
        unknown_household = (m.group(2) in ("family", "household")
                             and not _capitalised(word) and _unknown_ok(word) and low not in _SURNAME_WORDS)
        # "the ekwueme children", "the okoro twins": a word that is no English word before children,
        # kids or twins is a surname ("the drama kids", "the forest school children" are groups)
        unknown_household = unknown_household or (
            m.group(2) in ("kids", "children", "twins", "lot", "brood") and not _capitalised(word)
            and low not in _GROUP_WORDS and _foreign_word(word) and not _COMPOUND_END.search(low))
        known = (stem in _SURNAMES or low in _SURNAMES) and (
            stem not in _SURNAME_WORDS or (m.group(3) is not None and stem != low))
        if unknown_household or known or (
                m.group(2) and _capitalised(word) and _family_surname(word)):
            spans.append((m.start(1), m.end(1)))
    for m in _THE_PLURAL_LOWER.finditer(text):
        stem = m.group(1)
        if stem in _SURNAMES and stem not in _SURNAME_WORDS:
            spans.append((m.start(1), m.end()))
    return spans


# ---- Names read by their slot (round 11) ----------------------------------------------------------

# A real English lexicon (english_lexicon.py: SCOWL's common words and proper nouns): a word in a
# person's slot that is no English word and on no list of places, services or acronyms is a name, in
# any case, whatever community it is from.

# Chat shorthand and common misspellings that stand where a name would ("mum tho", "dad sed").
_CHAT_WORDS = frozenset("""
tho innit bruv fam wiv dat dem dey ting nah yeah yh yea yep nope pls plz abt ppl rn tmrw tmr tbh omg lol idk
dunno gonna wanna gotta cos coz cuz sed dont didnt doesnt wont cant isnt wasnt aint hes shes theyre ive youre
thats whats theres im wat wen wiv luv mate hun babe bae bby sumthing sum sumone smth nuffin nothin summat
alright alrite ok okay okey hiya hey yo aye nope eh erm umm hmm mmm ugh wow safe peak
theyve theyll theyd youve youll weve hed shed itll thatll tonite thurs tues weds acc msg msgs
com org net gov edu jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu thur fri sat sun
""".split())
_PREFIXES = frozenset("pre non anti pro sub semi post mid multi inter over under self step half co ex re de dis "
                      "mis out up".split())
_SLOT_TITLES = frozenset("mr mrs ms mx miss dr master mstr mister missus".split())
_SLOT_KIN_WORDS = frozenset("""
mum mummy mom mam mother dad daddy father nan nana nanna nanny gran granny grandma grandad grandpa grandmother
grandfather uncle auntie aunty aunt cousin brother sister bro sis stepdad step-dad stepmum step-mum stepfather
stepmother stepbrother stepsister stepson stepdaughter step-brother step-sister bf gf partner boyfriend girlfriend
carer keyworker key-worker son daughter husband wife ex fiance fiancee lodger twin yp pupil student baby
""".split()) | frozenset(f"{a} {b}" for a in "step little big older younger half twin".split()
                         for b in "brother sister bro sis".split()) | frozenset(
    ["step dad", "step mum", "step son", "step daughter", "baby girl", "baby boy", "key worker"])
_SLOT_CUE_WORDS = frozenset("""called named nicknamed aka re re: about regarding concerning for surname forename
little lil""".split()) | frozenset(
    ["known as", "name is", "name's", "name’s", "surname is", "forename is", "first name", "family name", "dob for",
     "dob of", "d.o.b for", "d.o.b of", "d.o.b. for", "d.o.b. of"])
_SLOT_SPEECH_TO = re.compile(r"(?:spoke|speak|speaking|talked|talking|chatted|said|says|wrote|texted|emailed|messaged|"
                             r"explained|disclosed|discloses|mentioned|complained|whispered) (?:to|with)")
_SLOT_DETERMINERS = frozenset("the a an this that his her their our my your its some any no".split())
_SLOT_NOT_BEFORE_DOES = _SLOT_DETERMINERS | frozenset(
    "at in near to from around outside behind by into through past".split())
# What only a person does, right after the word ("okonkwo-bright disclosed", "abimbola texted").
_SLOT_DOES = re.compile(r"(?:['’]s)?\s+(?:said|says|told|tells|disclosed|discloses|rang|rings|texted|texts|"
                        r"messaged|cried|cries|screamed|shouted|admitted|admits|denied|denies|whispered|"
                        r"complained|complains|confided|confides|phoned|emailed)\b", re.IGNORECASE)
_SLOT_POSSESSIVE = re.compile(r"['’]s\s+(?:(?:older|younger|big|little|baby|step|foster|twin|new|real|birth|"
                              r"eldest|youngest|other|home|current|old)\s+)?(?:" + _KIN + r"|carer|boyfriend|"
                              r"girlfriend|partner|sibling|siblings|son|daughter|teacher|key\s?worker|"
                              r"social\s+worker|tutor|parents?|address|house|home|flat|phone|mobile|number|dob|"
                              r"birthday|bedroom|school|class|nursery)\b", re.IGNORECASE)
_SLOT_FAMILY = re.compile(r"\s+(?:family|household|children|kids|twins|boys|girls|brothers|sisters|lot)\b",
                          re.IGNORECASE)
# "patel absent again", "Begum x3 absent, Nowak late": a register note lists pupils by surname; a
# word no English list holds, opening the note or a comma list, before what a register says.
_SLOT_REGISTER = re.compile(r"(?:['’]s)?(?:\s*,\s*[^\W\d_][\w'’\-]*){0,4}\s*[:\-–]?\s+(?:(?:all|both|again)\s+)?"
                            r"(?:x\s?\d+\s+)?(?:absent|late|present|excluded|unauthori[sz]ed|no[\s\-]show|"
                            r"dna(?:['’]?d)?|off\s+again|x\s?\d+\b)\b", re.IGNORECASE)
_REGISTER_BEFORE = re.compile(r"(?:^|[,;:(•*]|(?:^|\s)[-–]|\band|&)\s*$", re.IGNORECASE)
_SLOT_WORD = re.compile(r"(?<![\w'’\-])[^\W\d_][^\W\d_'’\-]*(?:['’\-][^\W\d_]+)*")


@lru_cache(maxsize=8192)
def _english_cached(low: str) -> bool:
    return is_english(low)


@lru_cache(maxsize=4096)
def _proper_cached(low: str) -> bool:
    return is_proper(low)


@lru_cache(maxsize=4096)
def _role_word(low: str) -> bool:
    """True when a word is an English word made a doer ("leavers", "minders", "kayakers"; not "mcallisters")."""
    low = re.split(r"[\-'’]", low)[-1]  # "pre-schoolers"
    m = re.search(r"(?:er|or|ee|ist)s?$", low)
    return m is not None and (is_english(low[:m.start()]) or is_english(low[:m.start()] + "e"))


@lru_cache(maxsize=4096)
def _doubled_typo(low: str) -> bool:
    """True when one letter typed twice turns an English word into this one ("tearfull", "shoutted")."""
    return any(low[i] == low[i + 1] and is_english(low[:i] + low[i + 1:]) for i in range(len(low) - 1))


@lru_cache(maxsize=4096)
def _compound(low: str) -> bool:
    """True when a word is two English words run together ("grandkids", "mudflats", "groundsmans")."""
    return any(is_english(low[:i]) and is_english(low[i:]) for i in range(3, len(low) - 2))


@lru_cache(maxsize=8192)
def _unlisted(word: str) -> bool:
    """True when a word is no English word and on no list of places, services, acronyms or slang."""
    low = _fold(word)
    if len(low) < 3 or not re.fullmatch(r"[a-z]+(?:['’\-][a-z]+)*", low) or not re.search(r"[aeiouy]", low):
        return False
    # "okonkwo-bright", "o'connell-barnes": a part no English list holds makes a compound a name;
    # "self-harm", "pre-school", "x-ray" are English in every part
    parts = [p for p in re.split(r"['’\-]", low) if len(p) > 2 and p not in _PREFIXES]
    particle = re.match(r"(?:al|el|o|mc|mac|de|da|di|du|le|la|van|von|ben|bin|abu|ibn)['’\-]", low) is not None
    if is_english(low) or low in _ENGLISH or not parts or len(parts) > 1 and all(is_english(p) for p in parts) or (
            "-" in low and len(parts) == 1 and is_english(parts[0]) and not particle):
        return False
    if low.endswith(("able", "ible", "ous", "ful", "less", "ness", "ment")) and not _given(word):
        return False  # "pupil unrousable", "mum tearful": a state, not a person, however spelt
    return not (_stop(low) or low in _COMMON_AFTER or low in _WEEKDAYS or low in _CHAT_WORDS or low in _SLOT_KIN_WORDS
                or low in _SERVICE_WORDS or low in _ACRONYMS or low in _PLACE_WORDS or low in _PLACE_NAMES
                or low in _BRANDS or low in _DEMONYM_WORDS or low in _NATIONALITIES or low in _FORMS_OF_ADDRESS
                or low in _TEAM_NAMES or low in _SUBJECTS or _DEMONYM_SURE.search(low) is not None
                or _CONTRACTION.search(low) is not None)


# A verb typed loosely after a kin word ("step dad smackd her", "mum hitted her"): an object follows.
_SLOT_OBJECT_AFTER = re.compile(r"\s+(?:her|him|them|me|us|it|my|his|their|the|a|an|that|this)\b", re.IGNORECASE)
# A word after these names an organisation, a place or a thing, not a person ("spoke to Calderdale MASH").
_SLOT_THING_AFTER = re.compile(r"\s+(?:mash|camhs|council|police|school|academy|college|hospital|team|services?|"
                               r"centre|center|helpline|line|trust|charity|project|group|scheme|unit|ward|road|"
                               r"street|lane|avenue|estate|park|area|town|city|holidays?|day|eve|time|party|"
                               r"fair|market|shop|store|church|mosque|temple|club)\b", re.IGNORECASE)


# The words of a note no English list holds are found first, by set arithmetic on its words (most
# notes have a handful), and only where they stand is a slot looked for: a long note is not read word
# by word while the practitioner waits.
_WORD_CHAR = re.compile(r"[\w'’\-]")


def _slot_names(text: str, found: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Names read by the slot they sit in, in any case: a word no English list holds after a title, a
    kin or role word, 'called', 're' or 'for', before what only a person does, before a person's
    possessions, or as a household ("the mcallisters", "the nwosu family")."""
    low_text = text.lower()
    if len(low_text) != len(text):
        low_text = text  # (a letter whose lower case is longer: read as typed)
    # the words of the note no English list holds, found at C speed; each is then read in its slot
    unknown = set()
    for chunk in set(low_text.split()) - _LEXICON_WORDS:
        unknown.update(_unknown_words(chunk))
    spans: list[tuple[int, int]] = []
    for low in unknown:
        at = low_text.find(low)
        while at >= 0:
            end = at + len(low)
            # ("the akinolas' house": a household's apostrophe closes the word)
            closed = not _WORD_CHAR.match(low_text, end) or (
                low.endswith("s") and low_text[end] in "'’" and not _WORD_CHAR.match(low_text, end + 1))
            if ((at == 0 or not _WORD_CHAR.match(low_text, at - 1)) and closed
                    and not _already_found(low_text, at, end, found, unknown)):
                name_end = _slot_name_end(text, at, end, text[at:end])
                if name_end is not None:
                    spans.append((at, name_end))
            at = low_text.find(low, end)
    return spans


@lru_cache(maxsize=16384)
def _unknown_words(chunk: str) -> tuple[str, ...]:
    """The words between two spaces that no English list holds, and so may be names in a slot."""
    return tuple(w for w in _SLOT_WORD.findall(chunk) if len(w) > 2 and w not in _LEXICON_WORDS
                 and not _english_cached(w) and (_unlisted(w) or w.endswith("s") and _unlisted(w[:-1])
                                                 and w not in _SERVICE_WORDS and w not in _ACRONYMS))


def _already_found(low_text: str, start: int, end: int, found, unknown: set[str]) -> bool:
    """True when another reading already found this word, and no unknown word follows to add to it."""
    if not any(s <= start and end <= e for s, e in found):
        return False
    nxt = _NEXT_WORD.match(low_text, end)
    return not (nxt and nxt.group(1) in unknown)


def _slot_name_end(text: str, s: int, e: int, word: str) -> int | None:
    """The end of the name a word in a slot begins, or None when the word is no name there."""
    possessive = word.endswith(("'s", "’s"))
    if possessive:
        word, e = word[:-2], e - 2
    if word.isupper() and len(word) > 1:
        return None  # an acronym in an ordinary note (a note typed in capitals is read lowered)
    low = _fold(word)
    before = text[max(0, s - 32):s]
    # the one or two words before, as typed between spaces and the marks that set a name off
    prev = [t for t in (t.strip(",:-–(").lower() for t in before.split()[-3:]) if t][-2:]
    prev1 = prev[-1] if prev else ""
    prev2 = " ".join(prev) if len(prev) == 2 else ""
    if prev1 in ("little", "lil") and (prev2.split(" ")[0] in ("a", "very", "so", "too")
                                       or word[:1].isupper() and before.rstrip().endswith("Little")):
        prev1 = prev2 = ""  # "a little", "very little": an amount; "Little Wilbraham": a village
    the = prev1 == "the"
    if (low.endswith("s") and not low.endswith("ss") and not possessive and len(low) > 4
            and the and _unlisted(word[:-1]) and not _english_cached(low)
            and not _proper_cached(low) and not _SLOT_THING_AFTER.match(text, e)
            and not _role_word(low) and not _compound(low[:-1])):
        return e  # "the mcallisters", "the o'briens": no English plural, of no English word
    if not _unlisted(word):
        return None
    if possessive:
        slot = _SLOT_POSSESSIVE.match(text, e) and prev1 not in _SLOT_DETERMINERS
        strong = weak = title = False
    else:
        title = prev1.rstrip(".") in _SLOT_TITLES
        strong = title or (prev1 in _SLOT_KIN_WORDS or prev2 in _SLOT_KIN_WORDS) and not (
            _SLOT_OBJECT_AFTER.match(text, e))
        weak = not strong and (
            prev1 in _SLOT_CUE_WORDS or prev2 in _SLOT_CUE_WORDS or _SLOT_SPEECH_TO.fullmatch(prev2) is not None
            or _SLOT_DOES.match(text, e) and prev1 not in _SLOT_NOT_BEFORE_DOES
            or _SLOT_FAMILY.match(text, e) and the)
        register = not strong and not weak and _SLOT_REGISTER.match(text, e) is not None and (
            _REGISTER_BEFORE.search(before) is not None)
        weak = weak or register
        slot = strong or weak
    if not slot or _SLOT_THING_AFTER.match(text, e):
        return None
    if _PET_NAMED.search(before) or _PETS.search(text[max(0, s - 20):s]):
        return None  # the dog's name says nothing about who the child is
    given = _given(word)
    if _VERBISH.search(low) and not given:
        return None  # "step dad smackd her", "mum hitted her": a verb typed loosely
    if not given and not title and _doubled_typo(low):
        return None  # "mum tearfull said": a word typed with one letter twice ("mrs abbott" is a name)
    # A proper noun the lexicon holds is a place or a festival unless a title, a kin word or
    # "called" puts a person there ("about Christmas", "for Ukraine"; "mrs Stacey" is a person);
    # "care leaver says", "tutee messaged", "about grandkids": a role or a compound, not a person
    if not strong and (_proper_cached(low) and not given and not (weak and low in _SURNAMES)
                       or _role_word(low) and not given or _compound(low)):
        return None
    if possessive:
        return e
    nxt = _NEXT_WORD.match(text, e)
    if nxt and _unlisted(nxt.group(1)) and not nxt.group(1).endswith(("'s", "’s")):
        e = nxt.end()  # "mrs adebayo cole": the whole name is shown, so the whole name is edited out
    return e


def _names(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _TITLE.finditer(text):
        word = m.group(1)
        title = m.group(0).split()[0].rstrip(".")
        if word.lower() in _NOT_NAMES:
            continue
        if (title == "Miss" or title.islower()) and not (_capitalised(word) or _given(word)):
            continue  # "miss school" is not Miss Smith
        if title == "Miss" and not _capitalised(word):
            continue
        if title in ("Dr", "dr") and not _capitalised(word) and not _given(word) and _fold(word) not in _SURNAMES:
            continue  # "a Dr appointment", "Dr note": the GP visit, no one named
        spans.append((m.start(), _surname_after(text, m.end())))
    for m in _finditer_any_case(_INTRO, text):
        word = m.group(1)
        if word.lower() in _NOT_NAMES or word.lower() in _MONTHS or not (_capitalised(word) or _given(word)):
            continue
        if _PETS.search(text[max(0, m.start() - 30):m.start()]):
            continue  # a pet's or a toy's name says nothing about who the child is
        spans.append((m.start(1), _surname_after(text, m.end(1))))
    for m in _finditer_any_case(_AFTER_PERSON, text):
        word = m.group(1)
        low = word.lower()
        if low in _NOT_NAMES or low in _MONTHS:
            continue
        nxt_word = _NEXT_WORD.match(text, m.end(1))
        with_surname = nxt_word is not None and _fold(nxt_word.group(1)) in _SURNAMES
        if _given(word) and (low not in _VERB_NAMES or _capitalised(word) or with_surname):  # "dad will", not a name
            end = m.end(1)
            # a lower-case surname after a lower-case given name ("pupil jack thompson")
            nxt = _NEXT_WORD.match(text, end)
            if nxt and _capitalised(nxt.group(1)) and nxt.group(1).lower() not in _NOT_NAMES:
                end = nxt.end()
            spans.append((m.start(1), end))
        elif (not _capitalised(word) and _unknown_ok(word) and _fold(word) not in _COMMON_AFTER
              and (_YP_WORD.match(m.group(0)) and _SPEECH_VERB.match(text, m.end(1))
                   or re.match(r"(?:boy|girl)\b", m.group(0), re.IGNORECASE)
                   and re.search(r"\bthe\s+$", text[max(0, m.start() - 5):m.start()], re.IGNORECASE)
                   and _PERSON_VERB.match(text, m.end(1)))):
            spans.append((m.start(1), m.end(1)))  # "yp semhar says", "the boy yonatan was": a name no list holds
        elif _capitalised(word) and _DEMONYM.search(low):
            continue  # "pupil, Pakistani heritage": where a family is from, shared by many
        elif _capitalised(word):
            nxt = _NEXT_CAP.match(text, m.end(1))
            second = _fold(nxt.group(1)) if nxt else ""
            # "the girl (Eastern European)", "the child (Roma Gypsy)": where a family is from, not who
            described = nxt is not None and (_DEMONYM_SURE.search(second) is not None or second in _NOT_FAMILY
                                             or second in _ETHNICITY_WORDS or _fold(word) in _NOT_FAMILY)
            if (nxt and nxt.group(1).lower() not in _NOT_NAMES and not _VERBISH.search(word)
                    and not described):  # "stepdad Gary Whitehouse"
                spans.append((m.start(1), nxt.end()))
            elif (m.group(0)[:1].islower() and re.fullmatch(_UCAP, word) and not _VERBISH.search(word)
                  and not described):
                # "mum Xanthe" (not "Child Protection", "boy, Looked After")
                spans.append((m.start(1), m.end(1)))
    for m in _FAMILY_PLURAL.finditer(text):
        plural = m.group(1)
        stem = plural[:-2] if plural.endswith(("ses", "xes", "zes", "ches", "shes")) else plural[:-1]
        if stem.lower() in _TREES_AND_PLANTS:
            continue  # "The Willows children's home", "the Laurels": a house named after its trees
        if (plural.lower() in _TEAM_NAMES or _TEAM_BEFORE.search(text, max(0, m.start() - 24), m.start())
                or _TEAM_AFTER.match(text, m.end()) or _OF_TITLE_AFTER.match(text, m.end())):
            continue  # "plays for the Tigers under 12s", "the Signs of Safety model": a team or a model
        if _family_surname(stem) and _family_surname(plural):
            spans.append((m.start(1), m.end()))
    for m in _FAMILY_NOUN.finditer(text):
        if _family_surname(m.group(1)):
            spans.append((m.start(1), m.end(1)))
    for m in _INITIAL_NAME.finditer(text):
        word = m.group(2).lower()
        if _LABEL_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
            continue  # "Hep B", "Plan B", "Block C": a letter that labels a thing
        if word not in _NOT_NAMES and word not in _NOT_AFTER_INITIAL and word not in _MONTHS:
            spans.append((m.start(), m.end()))
    spans += _cued_names(text)
    spans += _unlisted_full_names(text)
    spans += _uncued_names(text)
    spans += _names_set_off(text)
    spans += _household_and_kin(text)
    spans += _names_in_passing(text)
    spans += _slot_names(text, spans)
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        plain = word.lower()
        if plain not in _GIVEN_NAMES and plain.isalpha() and plain.isascii():
            continue  # a plain word on no given-name list (most of a note): no given name
        low = _fold(word)
        if _given(word) and low in _MONTHS and not _capitalised(word):
            full = _lower_full_name(text, m.start(), m.end())  # "may ferguson was crying"
            if full:
                spans.append((m.start(), full))
            continue
        if not _given(word) or low in _MONTHS:
            continue
        if low not in _GIVEN_NAMES:
            low = "-"  # a double-barrelled name: never an everyday word
        before = text[max(0, m.start() - 40):m.start()]  # what precedes the word, not the whole note
        if re.search(r"\b(?:St|Saint|St\.|st|saint|Shri|Sri|Lord|Hare|Guru)\s+$", before):
            continue  # St Mary's is a school or a church; "Jai Shri Krishna" a greeting
        if _PET_NAMED.search(before):
            continue  # the dog's name says nothing about who the child is
        if low == "eve" and re.search(r"(?:Year's|Christmas|Hallowe'en|Halloween)\s+$", before):
            continue  # New Year's Eve is a day, not a person
        if low in _PLACE_NAMES and not word.lower().endswith("'s") and (
                _PLACE_BEFORE.search(text[max(0, m.start() - 30):m.start()]) or _PLACE_AFTER.match(text, m.end())) \
                and not _SAYS_AFTER.match(text, m.end()):
            continue
        at_start = _STARTS.search(before) is not None
        followed = _surname_after(text, m.end())
        if followed > m.end() and _BODY_AFTER.fullmatch(_fold(text[m.end():followed].strip())):
            continue  # "Russell Group", "Grace Academy", "Victoria Centre": a body named after someone
        place = _NEXT_CAP.match(text, m.end())
        if place and _PLACE_NOUN.fullmatch(_fold(place.group(1))) and (
                _PLACE_GOES_ON.match(text, place.end()) or _AT_PLACE.search(before)):
            continue  # "Rose Garden play area is where", "near Rose Hill": a place ("Tom Ward said" stays)
        if low in _SEASONS and at_start and _SEASON_WAS.match(text, m.end()):
            continue  # "Summer was hard for the children": the time of year
        if low in _SEASONS and _SEASON_THING.match(text, m.end()):
            continue  # "the Autumn term", "over the Summer holidays": the school year, not a child
        if low in _VIRTUES and at_start and _VIRTUE_UNSEEN.match(text, m.end()):
            continue  # "Joy is hard to see in this little one": the feeling the child lacks
        if low in _AMBIGUOUS:
            # "Will she be safe?", "May half term": only mid-sentence capitals or a surname after
            if not _capitalised(word):
                full = _lower_full_name(text, m.start(), m.end())
                if full:
                    spans.append((m.start(), full))
                continue
            if low in _NOT_PERSON_AFTER and _NOT_PERSON_AFTER[low].match(text, m.end()):
                continue  # "Christian faith", "mother is Christian", "Sky and Netflix": a faith, a brand
            if low == "christian" and _FAITH_BEFORE.search(before):
                continue
            if low == "sky" and re.search(r"\b(?:has|have|had|got|get|pays?\s+for|watch|watches|watching|on)\s+$",
                                          before, re.IGNORECASE):
                continue  # "mum has Sky": the television
            if at_start and followed == m.end():
                verb = _NAME_VERB.match(text, m.end())
                if not verb or _thing_not_person(text, m.end()):
                    continue  # "Hope is what she lost", "Frank and open conversation"
        elif word.isupper() and len(word) > 1:
            continue  # ALL CAPS shouting, not a name
        spans.append((m.start(), followed))
    return spans


# ---- Full names no list holds, and titles ------------------------------------------------------

# A faith or academic title before a capitalised word ("Rev Dlamini", "Imam Qureshi", "Sister
# Bernadette"): the adult the child confides in is named, and with the place of worship the child is.
_FAITH_TITLE = re.compile(r"\b(?=[RPIFSCD])(?:Rev|Revd|Reverend|Pastor|Imam|Father|Fr|Sister|Sr|Rabbi|Sheikh|"
                          r"Canon|Prof|Professor|Dr)\.?\s+(" + _CAP + r")")
_NOT_AFTER_TITLE = frozenset("christmas time figure act".split())
# What a child calls a teacher ("Miss told her", "Sir said"), a faith's name for God, a festival or a
# time ("since Covid was", "after Ramadan is"): no one person.
_FORMS_OF_ADDRESS = frozenset("miss sir mr mrs ms mx dr god allah jesus christ lord santa covid lockdown "
                               "ramadan eid diwali hanukkah passover vaisakhi lent advent halloween".split())
# Apps, games and shops a child's world is full of: capitalised, used with "is" and "was", no one.
_BRANDS = frozenset("""
facebook snapchat instagram tiktok whatsapp youtube roblox fortnite minecraft discord twitter telegram kik
xbox playstation nintendo netflix google amazon tesco asda aldi lidl morrisons sainsburys mcdonalds kfc
greggs primark argos uber deliveroo omegle yubo wizz monzo paypal spotify twitch reddit pinterest threads
insta snap vinted depop shein
""".split())
# Faith titles that are never an everyday word, so a name may follow them in lower case ("rev dlamini").
_FAITH_TITLE_LOWER = re.compile(r"\b(?=[rpisRPIS])(?:rev|revd|reverend|pastor|imam|rabbi|sheikh)\.?\s+"
                                r"(" + _WORD + r")", re.IGNORECASE)
# A lower-case pair after a person word and "is" ("dad is dimitrios papadopoulos").
_LOWER_PAIR = re.compile(r"(?<![\w'’\-])([a-zß-öø-ÿ][a-zß-öø-ÿ'\-]{2,})\s+([a-zß-öø-ÿ][a-zß-öø-ÿ'\-]{2,})\b")
# A title, an initial and a surname in lower case ("ms d. adeyemi", "mr k oduya").
_TITLE_INITIAL = re.compile(r"\b(?=[mMdD])(?:mr|mrs|ms|mx|miss|dr)\.?\s+[a-z]\.?\s+"
                            r"((?:(?:de|da|del|di|van|von|le|la|al|el|o'|ó)\s+)?[a-z][a-z'\-]{2,})\b", re.IGNORECASE)
_KIN_WORD = re.compile(_KIN)
# "St John-Smythe family", "Fairweather-Lowe family": a double or saint's surname before "family".
_SAINT_FAMILY = re.compile(r"(?<![\w\-.])((?:St\.?|Saint)\s+)?([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+"
                           r"(?:family|families|household|twins|siblings)\b")
# A capitalised pair mid-sentence after a word that introduces a person ("Father is Dimitrios
# Papadopoulos", "staying with Ifeoma Chukwu"): a full name even when no list holds either word.
# A person word before the pair ("Father is", "the man was", "uncle is actually", "lives with") says a
# person; otherwise ("she is Key Stage 2", "with Sure Start") a word a list or its shape knows as a
# name is needed.
_PAIR_CUE = re.compile(r"\b(?:(?:" + _KIN + r"|" + _PEOPLE + r"|man|woman|lady|bloke|guy|adult|person|he|she)"
                       r"(?:\s+(?:is|was|has\s+been)(?:\s+(?:actually|really|called|named|now))?)?[,:]?"
                       r"|called|named|(?:lives|living|live|lived|staying|stays|stay|stayed|left|sleeps|sleeping|"
                       r"moved\s+in|goes|went|going|collected|picked\s+up)\s+(?:with|by))\s+$", re.IGNORECASE)
_PAIR_CUE_LOWER = re.compile(r"\b(?=[mdfnguacbsplwMDFNGUACBSPLW])(?:" + _KIN + r"|partner|boyfriend|girlfriend|"
                             r"lodger|father|man|woman)\s+(?:is|was)\s+(?:called\s+|named\s+|actually\s+)?",
                             re.IGNORECASE)
# Letters of Latin-1 and Latin Extended ("Lăcătuș", "Wiśniewska", "Paweł").
_UPPER = r"A-ZÀ-ÖØ-Þ\u0100-\u024f"
_LOWER = r"a-zß-öø-ÿ\u0100-\u024f"
_UCAP = r"[" + _UPPER + r"][" + _LOWER + r"]+(?:[\-'’][" + _UPPER + r"]?[" + _LOWER + r"]+)?"
# (Latin Extended holds both cases in one range, so a match's first letter is checked with isupper().)
# The last word may carry a particle ("Ó Súilleabháin", "van der Berg", "de Souza", "Ní Bhriain").
_CAP_PAIR = re.compile(r"(?<![\w'’\-])(" + _UCAP + r")\s+((?:(?:Ó|Ní|Nic|Mac|Mc|van|van der|von|de|De|da|Da|dos|"
                       r"del|di|Di|le|Le|al|Al|el|El|bin|bint|ibn)\s+)?" + _UCAP + r")(?![\w'’\-])"
                       r"(?!\s+(?!(?:NHS|UPN|DOB|D\.O\.B)\b)[A-Z])")
# Words that make a capitalised pair an organisation, a place or a service, not a person.
_ORG_WORD = re.compile(r"(?:school|primary|academy|college|nursery|services?|team|council|hospital|church|"
                       r"centre|center|trust|hub|unit|house|hall|road|street|lane|avenue|park|court|law|scheme|"
                       r"support|help|care|project|group|club|fc|united|city|town|estate|ward|clinic|surgery|"
                       r"practice|mosque|temple|gurdwara|synagogue|chapel|cathedral|library|station|airport|"
                       r"office|board|panel|partnership|foundation|network|police|health|protection|plan|"
                       r"england|london|britain|kingdom|ireland|wales|scotland|lucia|kitts|vincent|helena|"
                       r"army|navy|forces|marines|raf|corporal|sergeant|captain|major|colonel|lieutenant|private|"
                       r"constable|inspector|officer|stage|league|start|online|operation|credit|benefit|"
                       r"benefits|allowance|autism|autistic|spectrum|syndrome|disorder|palsy|epilepsy|deaf|"
                       r"maths|science|history|geography|art|music|drama|french|spanish|german|computing|ofsted)$")
# Words after a given name that make it a body named after someone ("Russell Group", "Grace Academy"),
# never surnames (unlike Hall, Park, Ward or Church).
_BODY_AFTER = re.compile(r"(?:school|primary|academy|college|nursery|services|team|council|hospital|centre|"
                         r"center|trust|hub|group|league|scheme|law|project|club|fc|clinic|surgery|mosque|temple|"
                         r"gurdwara|synagogue|chapel|cathedral|library|foundation|network|partnership|modern|"
                         r"gallery|museum|arena|stadium|theatre|zoo|market)")
# An unknown capitalised word after "says", "that", "yesterday" and before a person verb ("says Thandiwe
# is sleeping there"): a person no list holds, named in passing.
_CAP_BEFORE_VERB = re.compile(r"\b(?=[stabwirhynaoug])(?:says|said|told|tells|that|and|but|because|when|while|so|then|"
                              r"if|though|although|thinks|thought|reports|reported|heard|yesterday|today|tonight|now|"
                              r"apparently|also|after|before|since|until|where|once|unless|whether|or)\s+"
                              r"(" + _CAP + r")(?=\s+(?:is|was|has|had|keeps|kept|says|said|told|wants|lives|sleeps|"
                              r"stays|stayed|came|comes|goes|went|cries|cried|refuses|refused|hits|hit)\b)")

# "a group called Safe Steps", "an app named Kik Messenger": a thing's name, shared by many.
_THING_CALLED = re.compile(r"\b(?:group|charity|project|app|game|programme|program|company|organisation|"
                           r"organization|band|song|book|film|show|place|club|service|course|scheme|website|site|"
                           r"channel|page|account|shop|pub|bar|estate|team|business|firm|street|road)\s+"
                           r"(?:is\s+|was\s+)?(?:called|named)\s+$", re.IGNORECASE)


_MID_SENTENCE = re.compile(r"[a-z,]\s+$")


def _plain_word(word: str) -> bool:
    """True when a capitalised word is known not to be a name: a service, a month, a place, a people."""
    low = _fold(word)
    return (_stop(low) or _KIN_WORD.fullmatch(low) is not None or low in _FORMS_OF_ADDRESS or low in _BRANDS
            or low in _WEEKDAYS or low in _NOT_FAMILY or _BODY_AFTER.fullmatch(low) is not None
            or low in _PLACE_NAMES or _DEMONYM.search(low) is not None or _VERBISH.search(low) is not None
            or _ORG_WORD.fullmatch(low) is not None or word.isupper())


# Surname endings of the communities England's schools serve that no English word has.
_SURNAME_ENDING = re.compile(r"[a-z]{2,}(?:cki|cka|ova|eva|ov|ev|dze|shvili|idis|chuk|iak|ez|escu|poulos|akis|"
                             r"enko|wicz|czyk|ski|ska|ovic|oglu|yan|eanu)")


def _name_shaped(first: str, last: str) -> bool:
    """True when a given-name list holds the first word or a surname list or shape the last."""
    low = _fold(last)
    return (_given(first) or low in _SURNAMES or _SURNAME_SHAPE.fullmatch(low) is not None
            or _SURNAME_ENDING.fullmatch(low) is not None)


def _unlisted_full_names(text: str) -> list[tuple[int, int]]:
    """Full names with no list word, faith titles, saints' surnames and a title with an initial."""
    spans: list[tuple[int, int]] = []
    for m in _FAITH_TITLE.finditer(text):
        low = _fold(m.group(1))
        if low not in _NOT_NAMES and low not in _NOT_AFTER_TITLE and low not in _MONTHS:
            spans.append((m.start(), _surname_after(text, m.end())))
    for m in _FAITH_TITLE_LOWER.finditer(text):
        word = m.group(1)
        if not _capitalised(word) and _unknown_ok(word) and _fold(word) not in _NOT_AFTER_TITLE:
            spans.append((m.start(), m.end()))
    for m in _TITLE_INITIAL.finditer(text):
        if not _stop(_fold(m.group(1))):
            spans.append((m.start(), m.end()))
    for m in _SAINT_FAMILY.finditer(text):
        word = m.group(2)
        if m.group(1) or "-" in word:
            if all(_family_surname(part) for part in word.split("-") if part not in ("St", "Saint")):
                spans.append((m.start(), m.end(2)))
    for m in _CAP_PAIR.finditer(text):
        first, last = m.group(1), m.group(2)
        before = text[max(0, m.start() - 30):m.start()]
        if (first[0].isupper() and not _plain_word(first) and not _plain_word(last.split()[-1])
                and _fold(first) not in _ENGLISH and _fold(last.split()[-1]) not in _ENGLISH
                and (_ID_LABEL_AFTER.match(text, m.end()) and _STARTS.search(before)
                     or _WIDE_LETTER.search(m.group(0)) and not _PLACE_BEFORE.search(before))):
            # "Rares Lăcătuș upn ...", "Kamal Haidari NHS ...": a full name before the child's number or
            # age; Romanian or Polish letters in a capitalised pair spell a name
            spans.append((m.start(1), m.end(2)))
            continue
        if _STARTS.search(before) and _PERSON_VERB.match(text, m.end()) and not _plain_word(first) and not (
                _plain_word(last.split()[-1]) or _fold(first) in _ENGLISH or _fold(last.split()[-1]) in _ENGLISH):
            # "Giorgos Christodoulou lives at", opening a sentence: two words no list holds, neither an
            # everyday word ("Green Lanes is where", "Sports Direct was" stay clean)
            spans.append((m.start(1), m.end(2)))
            continue
        if _STARTS.search(before) or _THING_CALLED.search(before) or _DETERMINER_BEFORE.search(before):
            continue  # "the Sky Garden", "a Sure Start centre": a place or a thing
        if _plain_word(first) or _plain_word(last.split()[-1]) or last.lower().endswith(("'s", "’s")):
            continue
        # mid-sentence, a given name a list holds or a surname a list or its shape knows is enough
        if not _PAIR_CUE.search(before) and not (_MID_SENTENCE.search(before) and _name_shaped(first, last)):
            continue
        spans.append((m.start(1), m.end(2)))
    for cue in _finditer_any_case(_PAIR_CUE_LOWER, text):
        m = _LOWER_PAIR.match(text, cue.end())
        if not m or _stop(_fold(m.group(1))) or _stop(_fold(m.group(2))):
            continue
        first, last = m.group(1), m.group(2)
        if not _VERBISH.search(_fold(first)) and _name_shaped(first, last) and not _plain_word(last):
            spans.append((m.start(), m.end()))
    for m in _CAP_BEFORE_VERB.finditer(text):
        word = m.group(1)
        if not _plain_word(word) and not _STARTS.search(text[max(0, m.start(1) - 3):m.start(1)]):
            spans.append((m.start(1), m.end(1)))
    return spans


# ---- Names with no cue word and no list ----------------------------------------------------------

# Common English words (a list written for this, beside the module): a lower-case word in a person
# slot ("the girl is X", "X and Y have been") that no name list holds is read as a name only when it
# is not an everyday word, so "the girl is fine" stays clean and "the girl is bisola" is caught.
_ENGLISH = frozenset(word for line in Path(__file__).with_name("english_words.txt").read_text(encoding="utf-8")
                     .splitlines() if not line.startswith("#") for word in line.split())


def _foreign_word(word: str) -> bool:
    """True when a word no name list holds is not an everyday English word either: likely a name."""
    low = _fold(word)
    # names have vowels and three letters or more; "adhd", "cp" and "sen" are services and needs
    return (_unknown_ok(word) and len(low) > 2 and re.search(r"[aeiouy]", low) is not None
            and low not in _ENGLISH and low not in _COMMON_AFTER and low not in _WEEKDAYS
            and not any(part in _ENGLISH for part in low.split("-") if len(low.split("-")) > 1)
            and not low.startswith(("un", "non", "over", "under", "self"))
            and not low.endswith(("al", "ic", "ous", "ive", "ful", "less", "able", "ible", "ish", "ary", "ery", "ory")))


def _name_like(word: str) -> bool:
    """A given name a list holds (not an everyday-word name in lower case), or a likely name."""
    low = _fold(word)
    if _given(word):
        return low not in _AMBIGUOUS or _capitalised(word)
    return _foreign_word(word) and not _plain_word(word)


# Place nouns after a given name ("Rose Garden", "Rose Hill", "Victoria Park"): a place when the
# sentence goes on about the place ("play area", "is where") or puts someone at it.
_PLACE_NOUN = re.compile(r"garden|gardens|park|hill|street|road|lane|centre|center|hall|field|fields|green|square|"
                         r"estate|court|house|avenue|close|grove|crescent|library|common|rec|heath|wood|woods|farm|"
                         r"ward|walk|way|parade|terrace|mews|rise|vale|heights")
_PLACE_GOES_ON = re.compile(r"\s+(?:play\s*(?:area|park|ground)|playground|park|estate|area|flats|shops|rec|field|car\s+park|"
                            r"bus\s+stop|station|underpass|subway|skate\s*park|(?:is|was)\s+where|(?:is|was)\s+"
                            r"(?:a|an|the)\s+(?:place|area|park|estate|hotspot))\b", re.IGNORECASE)
_AT_PLACE = re.compile(r"\b(?:at|in|near|to|from|around|outside|behind|by|into|through|past|the)\s+$", re.IGNORECASE)
# "Summer was hard for the children": a season opening a sentence, said to have been a hard time.
_SEASONS = frozenset("summer autumn winter spring".split())
_SEASON_WAS = re.compile(r"\s+(?:is|was|has\s+been|will\s+be)\s+(?:always\s+|very\s+|really\s+|so\s+|a\s+bit\s+)?"
                         r"(?:(?:hard|difficult|tough|rough)(?!\s+to\b)|long|busy|hot|cold|wet|stressful|chaotic|"
                         r"awful|terrible|better|worse|a\s+(?:\w+\s+)?(?:time|one|period|term|few\s+\w+))\b",
                         re.IGNORECASE)

# "the Autumn term", "Summer holidays", "Spring half-term reviews": the school year.
_SEASON_THING = re.compile(r"\s+(?:term|terms|half[\s\-]?term|half|holidays?|hols|break|fair|fete|f[eê]te|concert|"
                           r"show|camp|uniform|timetable|exams?|mocks|reports?|register|trip|disco|production|fayre|"
                           r"reading|club|season|school|sports|assessments?|reviews?|census|data)\b", re.IGNORECASE)
# A feeling or virtue said to be hard to see in a child ("Joy is hard to see in this little one",
# "Hope is rarely seen"): what the child lacks, not who the child is.
_VIRTUES = frozenset("joy hope faith peace mercy harmony patience charity serenity happiness trust love grace "
                     "kindness compassion courage honesty respect".split())
_VIRTUE_UNSEEN = re.compile(r"\s+(?:is|was|has\s+been)\s+(?:(?:so|very|really|quite)\s+)?(?:(?:hard|difficult|"
                            r"impossible|harder|tricky)\s+to\s+(?:see|find|spot|feel|keep|notice|come\s+by|"
                            r"hold\s+on\s+to)|"
                            r"(?:rarely|never|seldom|not\s+often|not)\s+(?:seen|felt|shown|visible|present|there)|"
                            r"(?:missing|absent|lacking)\b|"
                            # "Grace was shown by the staff": the quality someone showed
                            r"(?:shown|extended|modelled|modeled|displayed)\s+by\b)", re.IGNORECASE)

# "tinashe and rutendo have been kept home": two names joined by "and" opening a sentence, doing what
# people do.
_AND_PAIR = re.compile(r"\s(?:and|&)\s+(" + _WORD + r")(?=\s+(?:have|has|had|are|"
                       r"were|was|is|both|say|said|says|keep|kept|told|tell|live|lived|go|went|come|came|get|got|"
                       r"want|wanted|need|refuse|refused|ran|run|seem|seemed|sleep|slept|stay|stayed|turned|"
                       r"arrived|left|missed|miss|won't|don't|didn't|can't|cannot)\b)", re.IGNORECASE)
_TOWN_ENDING = re.compile(r"..(?:ham|dale|ford|field|bury|pool|wich|mouth|chester|borough|shire|minster|caster|"
                          r"cester|bridge|castle|sea|pton|ston|ington|combe|worth|wick)$")
# "the girl is bisola.", "pupil is zvikomborero and", "the child's name is X": a role said to be a word
# no list holds, and the sentence ends or goes on about the person.
_ROLE_IS = re.compile(r"\b(?=[gbcpsyltdkiGBCPSYLTDKI])(?:girl|boy|child|pupil|student|yp|young person|baby|kid|lad|lass|teen|teenager|toddler|"
                      r"learner|infant|son|daughter)(?:['’]s\s+(?:first\s+)?name)?\s+is\s+(?:called\s+|named\s+)?"
                      r"(" + _WORD + r")(?=\s*[.,;:!?)(]|\s*$|\s+(?:and|but)\s+(?:she|he|they|her|his|is|was|has)\b|"
                      r"\s+(?:who|she|he|from|age|aged)\b)",
                      re.IGNORECASE)
# "the van der merwe boy", "the du plessis family": a surname with its particle, before a household.
_PARTICLE_HOUSEHOLD = re.compile(r"[Tt](?<![\w\-'’][Tt])he\s+((?:(?:van\s+der|van\s+den|van|von|de|du|da|di|le|la|al|el|bin|ben|"
                                 r"mac\s+an|mac|nic|ni|ó)[\s\-]+|o['’]\s?)(" + _WORD + r"))(?=\s+(?:boy|girl|lad|lass|kid|kids|children|"
                                 r"family|families|twins|boys|girls|household|baby|brothers|sisters|siblings)\b)",
                                 re.IGNORECASE)
# "j. okonkwo-bright (yr 9)", "k. adeyemi-cole says": an initial and a lower-case surname.
_INITIAL_LOWER = re.compile(r"\.(?<=(?<![\w.&'’])[A-Za-z]\.)\s?([a-z][a-z'’]+(?:-[a-z][a-z'’]+)*)(?![\w\-])")
# "the okonjo kids next door", "the ward kids again": a household by its surname, placed or recurring.
_HOUSEHOLD_AGAIN = re.compile(r"[Tt](?<![\w\-'’][Tt])he\s+(" + _WORD + r")\s+(?:kids|children|boys|girls|twins|lot|brood|lads)\s+"
                              r"(?:next\s+door|again|upstairs|downstairs|across\s+the\s+road|over\s+the\s+road|"
                              r"down\s+the\s+road)\b")
_CLASS_BRACKET = re.compile(r"\s*\(\s*(?:y|yr|year|yr\.)\s?\d{1,2}[a-z]?\s*\)", re.IGNORECASE)


def _surname_like(word: str) -> bool:
    """True when a surname list or shape knows the word or one part of a double-barrelled one."""
    return any(part in _SURNAMES or _SURNAME_SHAPE.fullmatch(part) or _SURNAME_ENDING.fullmatch(part)
               for part in _fold(word).split("-"))


def _uncued_names(text: str) -> list[tuple[int, int]]:
    """Names with no cue: a pair joined by "and", "the girl is X", particles, initials, labels."""
    spans: list[tuple[int, int]] = []
    low_text = text.lower()
    if " and " in low_text or "&" in text:
        for m in _AND_PAIR.finditer(text):
            before = _WORD_END.search(text, max(0, m.start() - 30), m.start())
            if not before or not _SENTENCE_START.search(text[max(0, before.start(1) - 20):before.start(1)]):
                continue
            first, second = before.group(1), m.group(1)
            # "Oldham and Rochdale both have records": two towns, each with a town's ending
            if all(_TOWN_ENDING.search(_fold(w)) and not _given(w) for w in (first, second)):
                continue
            if _name_like(first) and _name_like(second):
                spans.append((before.start(1), m.end(1)))
    for m in (_AND_KIN_AFTER.finditer(text) if " and " in low_text else ()):
        # "ngozika and her sister have missed": a word no list holds, opening a sentence, with kin
        before = _WORD_END.search(text, max(0, m.start() - 30), m.start())
        if (before and _SENTENCE_START.search(text[max(0, before.start(1) - 20):before.start(1)])
                and _name_like(before.group(1))):
            spans.append((before.start(1), before.end(1)))
    for m in (_finditer_any_case(_ROLE_IS, text) if " is " in low_text else ()):
        word = m.group(1)
        if _stop(_fold(word)):
            continue
        if _name_like(word) or (_capitalised(word) and not _plain_word(word) and _fold(word) not in _ENGLISH):
            spans.append((m.start(1), m.end(1)))
    for m in _PARTICLE_HOUSEHOLD.finditer(text):
        word = m.group(2)
        if not _stop(_fold(word)) and _fold(word) not in _ENGLISH and not _VERBISH.search(_fold(word)):
            spans.append((m.start(1), m.end(1)))
    for m in (_INITIALS_SURNAME.finditer(text) if "." in text else ()):
        # "A.K. Sharma", "j.p. o'connor": two or more initials before a surname no English list holds
        word = m.group(1)
        low = _fold(word)
        if (low not in _DEGREE_WORDS and low not in _ENGLISH and not _english_cached(low)
                and (_unlisted(word) or low in _SURNAMES)):
            spans.append((m.start() - 1, m.end(1)))
    for m in _INITIAL_LOWER.finditer(text):
        word, start = m.group(1), m.start() - 1  # the initial is the letter before the dot
        if _stop(_fold(word)) or _LABEL_BEFORE.search(text[max(0, start - 12):start]):
            continue
        after = m.end()
        person_after = (_CLASS_OR_AGE.match(text, after) or _PERSON_VERB.match(text, after)
                        or _CLASS_BRACKET.match(text, after))
        # "a. foster care" is a list item; "j. okonkwo-bright (yr 9)" a pupil
        if (_surname_like(word) and _fold(word) not in _ENGLISH) or (
                (_surname_like(word) or _foreign_word(word)) and person_after):
            spans.append((start, m.end()))
    for m in _HOUSEHOLD_AGAIN.finditer(text):
        low = _fold(m.group(1))
        if not _stop(low) and low not in _NOT_HOUSEHOLD and not _DEMONYM.search(low) and (
                low in _SURNAMES or _foreign_word(m.group(1))):
            spans.append((m.start(1), m.end(1)))
    # ("little kenzo has", "surname is okoro": read by their slot, in _slot_names, since round 11)
    return spans


# ---- Names set off from the sentence -------------------------------------------------------------

# "tiwa (tiwalade) says", "Bex (Rebekah-Lee) told": the name a child goes by and the name on the
# register, both naming the one child.
_BRACKETED_WORD = re.compile(r"\(\s*(" + _WORD + r")\s*\)")
# "both girls, Rutendo and Tatenda, after": two people named in passing, set off by commas.
_APPOSED_PAIR = re.compile(r"[,:]\s+(" + _WORD + r")\s+(?:and|&)\s+(" + _WORD + r")"
                           r"(?=\s*[,;:)\-–]|\s+(?:who|whose|are|were|have|had|both|say|said|told)\b)")
_PEOPLE_BEFORE_COMMA = re.compile(r"\b(?:" + _PEOPLE + r"|twins|brothers|sisters|siblings|girls|boys|children|kids|"
                                  r"sons|daughters|cousins|lads|ours|theirs|pupils|students|youngsters|pair|both|"
                                  r"little\s+one|eldest|youngest|oldest|middle\s+one)$",
                                  re.IGNORECASE)
# "it was Tiegan who told us": a cleft sentence puts a person in the middle.
_SUBJECTS = frozenset("chemistry biology physics geography history science music drama art french spanish german "
                      "computing maths english pshe rse citizenship sociology psychology technology".split())
_CLEFT = re.compile(r"\b(?=[itwIT])(?:it|this|that)\s+(?:was|is)\s+(" + _WORD + r")\s+(?:who|whose)\b", re.IGNORECASE)
# "Our pupil, Maksymilian, says": one person named in passing, set off by commas after a people word.
_APPOSED_ONE = re.compile(r",\s+(" + _WORD + r"),")
# "teen girl (Jasmin K)", "the boy (Tomasz W.)": a name and an initial or a surname in brackets after a
# people word.
_BRACKET_NAME_INITIAL = re.compile(r"\(\s*(" + _UCAP + r")\s+(?:([A-Z])\.?|(" + _UCAP + r"))\s*\)")
# "Rutendo, Tatenda and Farai are all off school": names listed as the subject of a sentence.
_NAME_LIST = re.compile(r",\s+" + _WORD + r"(?:,\s+" + _WORD + r"){0,3},?\s+(?:and|&)\s+" + _WORD +
                        r"(?=\s+(?:are|were|have|had|all|both|say|said|told|keep|kept|live|lived|went|came)\b)")
# A short form before its full name in brackets, quoted or not ("'Tiwa' (Tiwalade)").
_WORD_BEFORE_BRACKET = re.compile(r"(?<![\w\-])(['’]?" + _WORD + r")['’\"”]?\s*$")
# What a child calls a parent, grandparent, aunt or uncle in the languages of England's families,
# before the family's name ("Baba Jalloh", "Babcia Wiśniewska", "Mama Okafor"): the adult, and so the
# child, named.
_HOME_KIN = frozenset("""
mama mamma mam mum mummy mom ma maman mami mamá baba abba abbu abu ammi ammu amma appa ami tata tato babcia
babunia dziadek dziadzia bunica bunicul buni nana nani nanu dada dadi dadu khala khalu chacha chachi phupho
mamu mamoo aunty auntie aunt uncle grandma grandad granny gran nan nanny oma opa yiayia giagia papou nonna
nonno abuela abuelo tia tio tía tío bibi babu papa papi mai dede nene teta nenek yaya ayi popo gogo koko amai
""".split())
# In lower case only the words of other languages: "mum", "nan" and "uncle" have their own cues above.
_HOME_KIN_ABROAD = _HOME_KIN - frozenset("mum mummy mom mam ma nana nan nanny gran granny grandma grandad aunt aunty "
                                         "auntie uncle papa".split())
_HOME_KIN_LOWER = re.compile(r"(?<![\w'’\-])([a-zá-ú]{2,7})\s+([" + _UPPER + _LOWER + r"][" + _LOWER + r"'’\-]+)"
                             r"(?![\w'’\-])")
_KIN_IN_BRACKETS = re.compile(r"\s*\(\s*(?:" + _KIN + r"|grandparent|carer)\s*\)", re.IGNORECASE)
# A capitalised kin word and a capitalised name ("Baba Jalloh"); "mum Okafor" has its own cue above.
_WORD_THEN_CAP = re.compile(r"(?<![\w'’\-])([A-Z][a-zá-ú]{1,6})\s+(?=[" + _UPPER + r"])(" + _UCAP + r")(?![\w'’\-])")
# "please call Bisi on 0113 496 0044": whoever a practitioner is told to ring is a person of the
# child's (a service is named by a word the lists hold: Childline, Social Care, MASH).
_CALL_ON = re.compile(r"\b(?=[crptCRPT])(?i:call|ring|phone|text|contact|try|called|rang|phoned|texted)\s+"
                      r"(" + _WORD + r")\s+(?i:on|at)\s+(?=\+?\(?\d)")
# "Olek keeps talking about", "Tafara says her uncle": a capitalised word no list holds, opening a
# sentence, doing what a person does.
_SPEECH_OPENING = re.compile(r",?\s+(?:says|said|told|tells|disclosed|discloses)\b")
# Services and roles typed in lower case at the start of a note ("pcso said", "kooth says").
_SERVICE_WORDS = frozenset("pcso pcsos ewo iro yot yjs ssw fsw cpn slt dsl ddsl sendco senco camhs kooth childline "
                           "barnardos cafcass ofsted nspcc paeds paediatrics gp police midwife".split())
_OPENING_WORD_DOES = re.compile(r",?\s+(?=[kstwlrdcahm])(?:keeps|kept|says|said|told|tells|has|wants|wanted|lives|"
                                r"lived|refuses|refused|won't|wont|doesn't|didn't|cried|cries|disclosed|discloses|"
                                r"reported|reports|asked|asks|hits|hides|hid|came|comes|arrived|arrives|smells|smelt|"
                                r"smelled|missed|misses|ran|runs|hasn't|isn't|wasn't|can't|cannot|"
                                r"and\s+(?:her|his)\s+(?:mum|dad|brother|sister)|from\s+(?:year|yr|class))\b")
# A day of the week, written in full or short ("weds", "thurs").
_WEEKDAY = r"(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?"
# "ruby tuesday 4th nov disclosed", "holly 22/11 came in": an everyday-word name opening a note, then
# the day it happened.
_DAY_AFTER_NAME = re.compile(r"\s+(?:" + _WEEKDAY + r"\b"
                             r"(?!\s+(?:is|was|will|would|goes|went|go|should|could|might|night|morning|"
                             r"afternoon|evening|club)\b)|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?"
                             r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d{1,2}/\d{1,2}\b)", re.IGNORECASE)
# "Rares Lăcătuș upn R405...", "Tomasz Nowak DOB ...": a full name opening a note before the number
# or age that goes with a child.
_ID_LABEL_AFTER = re.compile(r"\s*(?:[,(]\s*)?(?:(?:upn|nhs(?:\s+(?:no\.?|number))?|pupil\s+(?:no\.?|number)|dob|"
                             r"d\.o\.b\.?|born)\s*[:#\-]?\s*(?:on\s+)?[A-Za-z]?\d|aged?\s+\d|"
                             r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b|\(?\d{1,2}\s*(?:yo|y/o|yrs?)?\s*[,)]|"
                             r"\(?\s*(?:yr|year|y)\s?\d{1,2})", re.IGNORECASE)
# Endings of words for people by what they do or are ("Tutee", "Detainee", "Newborn", "Deckhand",
# "Flatmate", "Youngster", "Postman"), never of a given name.
_ROLE_SHAPE = re.compile(r"(?:ee|born|hand|mate|ster|man|men|woman|women|folk|kind|ship|hood|dom|ette|ie)$",
                         re.IGNORECASE)
# A word with such letters, and the word before or after it.
_WIDE_WORD = re.compile(r"[^\W\d_]*[\u0100-\u024f][^\W\d_'’\-]*")
_PAIR_BEFORE = re.compile(r"(?<![\w'’\-])" + _WORD + r"\s+" + _WORD + r"$")
_PAIR_AFTER = re.compile(_WORD + r"\s+" + _WORD + r"(?![\w'’\-])")
_CONTRACTION = re.compile(r"['’](?:ve|re|ll|d|m|t)$|n['’]t$", re.IGNORECASE)
# Letters beyond Latin-1 (ă ș ț ł ń ő ė ą ż): in an English note they spell a name or a place.
_WIDE_LETTER = re.compile(r"[\u0100-\u024f]")


# Words for where a family is from that end as names do (-eli, -ani, -ari): "Obiageli" is a name.
_DEMONYM_WORDS = frozenset("""
israeli iraqi yemeni omani somali nepali bengali punjabi gujarati kuwaiti qatari saudi emirati afghani pakistani
sudani bahraini azerbaijani kurdi marathi hindi urdu farsi swahili tamil malayali
""".split())
_DEMONYM_SURE = re.compile(r"(?:ish|(?<!e)ese|ean|ican|ian|eshi|stani)$")
# Endings of English towns and boroughs ("Sandwell, Dudley and Walsall all have different thresholds").
_TOWN_SHAPE = re.compile(r"(?:well|all|ley|ford|ton|ham|bury|by|field|wich|borough|brough|chester|cester|caster|mouth|"
                         r"pool|stead|worth|wick|don|shire|sey|gate|bridge|burn|dale|hurst|minster|port|thorpe|wood|"
                         r"land|lees|ey)$")


def _name_word(word: str) -> bool:
    """True when a word is on a given-name list or a surname list or shape, or is no English word."""
    low = _fold(word)
    if (_stop(low) or low in _ENGLISH or low in _BRANDS or low in _DEMONYM_WORDS
            or _DEMONYM_SURE.search(low) and not _given(word)):
        return False
    if _DEMONYM.search(low):
        # not "Pakistani" or "Somali" (above), but "Obiageli", "Thandiwe": checked without the ending
        plain = (_KIN_WORD.fullmatch(low) is not None or low in _FORMS_OF_ADDRESS or low in _WEEKDAYS
                 or low in _NOT_FAMILY or low in _PLACE_NAMES or word.isupper())
    else:
        plain = _plain_word(word)
    return not plain and (_given(word) or _foreign_word(word) or _surname_like(word))


def _lower_name_word(word: str) -> bool:
    """A name word typed in lower case: a given name that is no everyday word, or a long unknown word."""
    return _name_word(word) and _name_like(word) and (_given(word) or len(word) >= 4)


# ---- Households and kin said in lower case (round 9) ----------------------------------------------

# The household words the readings below end on; each is found first, and only the few words before
# it are read (a long note is not scanned once for every reading).
_HOUSEHOLD_NOUNS = ("family", "children", "kids", "twins", "household", "boys", "girls", "brothers", "sisters",
                    "siblings", "lot")
# "worried re van der Berg twins", "the de la Cruz sisters": a surname with a particle that never
# starts an everyday phrase, before a household, names one family even without "the".
_PARTICLE_BEFORE = re.compile(r"\b(?:(?:van\s+der|van\s+den|van\s+de|van|von|de\s+la|de\s+los|della|del|dos|du)"
                              r"\s+(" + _WORD + r")|(?:de|da|di|le|la)\s+([A-Z][a-z]{2,}))\s+$")
# "patel family (not the ones in 6C)", "Okafor children - mum unwell": a surname opening a note or a
# sentence before the household, with no "the" before it.
_OPENING_BEFORE = re.compile(r"(?:^|[.!?;\n]\s*|\b(?:re:?|about|regarding|concerning)\s+)(" + _WORD + r")\s+$",
                             re.IGNORECASE)
_OPENING_NOUNS = frozenset("family children kids twins household".split())
# "the st. clair-evans children", "st john family": a saint's surname typed in lower case.
_SAINT_BEFORE_HOUSEHOLD = re.compile(r"\b(?:st\.?|saint)\s+([a-z][a-z'\-]{2,})(?<!['’]s)\s+$")
_SAINT_NOUNS = frozenset("family children kids twins household boys girls".split())
# "his step mum lorraine burnt him", "her stepdad kieron": kin said as someone's, then a word that is
# no English word: the adult's name, typed in lower case, which the name lists may not hold.
_OWNED_KIN = re.compile(r"\b(?=[hmtyHMTY])(?:his|her|their|my|your|the\s+child['’]s|the\s+boy['’]s|"
                        r"the\s+girl['’]s)\s+"
                        r"(?:step[\s\-]?|foster\s+)?(?:" + _KIN + r"|partner|boyfriend|girlfriend)"
                        r"\s+([a-z][a-z\-]{2,})\b(?![-'’])")
# What the adult did, said right after the name ("lorraine burnt him", "kieron hit him", "tasha locks").
_ADULT_DID = re.compile(r"\s+(?:(?!his\b|this\b|is\b|was\b|as\b|us\b|yes\b)[a-z]+(?:ed|s)|hit|burnt|took|gave|"
                        r"left|came|went|made|got|kept|threw|told|said|put|let|cut|beat|bit|broke|caught|drove|"
                        r"fed|fought|held|hurt|knew|met|ran|sent|shut|shook|stole|struck|swore|taught|has|had|is|"
                        r"was|does|did|will|won't|can't|doesn't|didn't|isn't|wasn't|never|always|also|still|often)\b")


# "Mason's NHS no 7962342137", "Kezia's address": whose record a number or an address is. The owner
# is the child, named even when the record itself is edited out.
_RECORD_AFTER = re.compile(r"\s+(?i:nhs|dob|d\.o\.b|date\s+of\s+birth|upn|home\s+address|address|postcode|"
                           r"phone|mobile|email|number)\b")
# "Chanel D. (born 09/12/2008)", "Tyrique M. says": a first name and the initial of a surname, as a
# register shortens it, before a bracket or what a person does.
_NAME_INITIAL = re.compile(r"(?<![\w'’\-])([A-Z][a-z]{2,})\s+[A-Z]\.(?=\s*\(|\s+(?:is|was|has|had|says|said|told|"
                           r"tells|lives|keeps|kept|came|comes|and\s+(?:her|his))\b)")
_NOT_RECORD_OWNER = frozenset("barnardo barnardos tesco boots asda sainsbury".split())


def _all_at(text: str, part: str) -> list[int]:
    """Every place the part stands in the text."""
    found = []
    at = text.find(part)
    while at >= 0:
        found.append(at)
        at = text.find(part, at + 1)
    return found


def _household_nouns(low_text: str) -> list[tuple[int, str]]:
    """Where each household word stands alone in the lower-cased note, and which word it is."""
    found = []
    for noun in _HOUSEHOLD_NOUNS:
        at = low_text.find(noun)
        while at >= 0:
            after = at + len(noun)
            if ((not at or not low_text[at - 1].isalnum())
                    and (after == len(low_text) or not (low_text[after].isalnum() or low_text[after] in "'’"))):
                found.append((at, noun))
            at = low_text.find(noun, after)
    return found


def _household_and_kin(text: str) -> list[tuple[int, int]]:
    """Surnames before a household, adults' names after kin, whose record a number is, a name and initial."""
    spans: list[tuple[int, int]] = []
    for m in _OWNED_KIN.finditer(text):
        word = m.group(1)
        low = _fold(word)
        if (_stop(low) or low in _COMMON_AFTER or low in _AMBIGUOUS or low in _VERB_NAMES
                or not (_given(word) or _foreign_word(word) and _ADULT_DID.match(text, m.end(1)))
                or _VERBISH.search(low)):
            continue  # "his mum drinks", "her dad will", "my mum i'm": what the adult does, not who
        spans.append((m.start(1), _surname_after(text, m.end(1))))
    for at in sorted(_all_at(text, "'s ") + _all_at(text, "’s ")):
        word = _WORD_END.search(text, max(0, at - 30), at)
        if not word or not _RECORD_AFTER.match(text, at + 2):
            continue
        name = word.group(1)
        low = _fold(name)
        if (_stop(low) or low in _NOT_NAMES or low in _NOT_RECORD_OWNER or _PEOPLE_WORD.fullmatch(low)
                or low in _BRANDS or low in _ENGLISH or low in _AMBIGUOUS and not _capitalised(name)):
            continue
        if _given(name) or (_capitalised(name) and _foreign_word(name)):
            spans.append((word.start(1), at))
    if ". " in text:
        for m in _NAME_INITIAL.finditer(text):
            low = _fold(m.group(1))
            if not (_stop(low) or low in _NOT_NAMES or low in _ENGLISH or _LABEL_BEFORE.search(m.group(1) + " ")
                    or low in _MONTHS or low in _WEEKDAYS) and (_given(m.group(1)) or _foreign_word(m.group(1))):
                spans.append((m.start(), m.end()))
    low_text = text.lower()
    for at, kind in _household_nouns(low_text) if len(low_text) == len(text) else ():
        window = max(0, at - 48)
        m = _PARTICLE_BEFORE.search(text, window, at)
        if m:
            low = _fold(m.group(1) or m.group(2))
            if not _stop(low) and low not in _ENGLISH and not _VERBISH.search(low):
                spans.append((m.start(), m.end(1) if m.group(1) else m.end(2)))
                continue
        if kind in _SAINT_NOUNS:
            m = _SAINT_BEFORE_HOUSEHOLD.search(text, window, at)
            if m and all(part not in _ENGLISH and not _stop(part) for part in _fold(m.group(1)).split("-")):
                spans.append((m.start(), m.end(1)))
                continue
        if kind in _OPENING_NOUNS:
            m = _OPENING_BEFORE.search(text, window, at)
            if not m or m.start(1) == window and window:
                continue  # (a word cut by the window's edge is read with the words before it, not alone)
            word = m.group(1)
            low = _fold(word)
            if (_stop(low) or low in _NOT_HOUSEHOLD or low in _NOT_FAMILY or _DEMONYM.search(low)
                    or low in _GROUP_WORDS):
                continue
            if ((low in _SURNAMES and low not in _SURNAME_WORDS) or _SURNAME_SHAPE.fullmatch(low)
                    or _foreign_word(word) and not _COMPOUND_END.search(low)):
                spans.append((m.start(1), m.end(1)))
    return spans


def _names_set_off(text: str) -> list[tuple[int, int]]:
    """Names in brackets, between commas, after home kin words, to ring, or opening a sentence alone."""
    spans: list[tuple[int, int]] = []
    if "(" in text:
        for m in _BRACKETED_WORD.finditer(text):
            before = _WORD_BEFORE_BRACKET.search(text, max(0, m.start() - 30), m.start())
            if not before:
                continue
            short, full = before.group(1).strip("'’"), m.group(1)
            # typed alike ("tiwa (tiwalade)", "Bex (Rebekah)"); "info (Gillick)" glosses a word
            if _capitalised(full) == _capitalised(short) and _name_word(full) and _name_word(short):
                spans.append((before.start(1), m.end()))
    for m in (_CLEFT.finditer(text) if " who" in text else ()):
        word = m.group(1)
        # "it was Chemistry who set it" names a department, not a person
        if (_capitalised(word) and _name_word(word) or _given(word) and _fold(word) not in _AMBIGUOUS) and \
                _fold(word) not in _SUBJECTS:
            spans.append((m.start(1), m.end(1)))
    if "(" in text:
        for m in _BRACKET_NAME_INITIAL.finditer(text):
            # a listed given name before a surname; any name-like word before an initial ("(Eastern
            # European)", "(Roma Gypsy)" describe the child and stay clean)
            first_ok = (_given(m.group(1)) and _fold(m.group(1)) not in _AMBIGUOUS and _name_word(m.group(3))
                        if m.group(3) else _name_word(m.group(1)))
            before_end = m.start() - 1 if text[m.start() - 1:m.start()] == " " else m.start()
            if first_ok and _PEOPLE_BEFORE_COMMA.search(text, max(0, before_end - 25), before_end):
                spans.append((m.start(1), m.end() - 1))
    if "," in text or ":" in text:
        for m in _APPOSED_ONE.finditer(text):
            word = m.group(1)
            if (_capitalised(word) and _name_word(word) or _given(word) and _fold(word) not in _AMBIGUOUS) and \
                    _PEOPLE_BEFORE_COMMA.search(text, max(0, m.start() - 25), m.start()):
                spans.append((m.start(1), m.end(1)))  # "our pupil, Maksymilian, says"
        for m in _APPOSED_PAIR.finditer(text):
            first, second = m.group(1), m.group(2)
            if _capitalised(first) and _capitalised(second):
                named = _name_word(first) and _name_word(second)
            else:
                named = _lower_name_word(first) and _lower_name_word(second)
            if named and _PEOPLE_BEFORE_COMMA.search(text, max(0, m.start() - 25), m.start()):
                spans.append((m.start(1), m.end(2)))
        for m in _NAME_LIST.finditer(text):
            first = _WORD_END.search(text, max(0, m.start() - 30), m.start())
            if not first or first.end() != m.start():
                continue
            words = [first.group(1)] + [w for w in _TOKEN.findall(m.group(0)) if w.lower() != "and"]
            if (_SENTENCE_START.search(text, max(0, first.start() - 20), first.start())
                    and not any(_TOWN_SHAPE.search(_fold(w)) and not _given(w) for w in words)
                    and all(_name_word(w) if _capitalised(w) else _lower_name_word(w) for w in words)):
                spans.append((first.start(), m.end()))
    for m in _WORD_THEN_CAP.finditer(text):
        word = m.group(2)
        if m.group(1).lower() in _HOME_KIN and word[0].isupper() and _name_word(word):
            spans.append((m.start(2), m.end(2)))
    for m in (_HOME_KIN_LOWER.finditer(text) if not _HOME_KIN_ABROAD.isdisjoint(text.lower().split()) else ()):
        # "baba Jalloh", "baba jalloh (dad) said", "tata nowak picks them up": in lower case, what
        # follows says a person
        word = m.group(2)
        if m.group(1) in _HOME_KIN_ABROAD and (
                _capitalised(word) and _name_word(word) or _lower_name_word(word)
                and (_DOES_NOW.match(text, m.end()) or _PERSON_VERB.match(text, m.end())
                     or _KIN_IN_BRACKETS.match(text, m.end()))):
            spans.append((m.start(2), m.end(2)))
    for m in _CALL_ON.finditer(text):
        word = m.group(1)
        if _name_word(word) and (_capitalised(word) or _lower_name_word(word)):
            spans.append((m.start(1), m.end(1)))
    for m in _OPENING_WORD_DOES.finditer(text):
        before = _WORD_END.search(text, max(0, m.start() - 30), m.start())
        if not before or before.end() != m.start() or len(before.group(1)) < 4:
            continue
        word, start = before.group(1), before.start(1)
        # capitalised only: in lower case a note opens with roles no list can hold ("tutee says",
        # "bloke keeps"); a contraction ("They've told") or a role by its ending is no name either
        if (_capitalised(word) and not _CONTRACTION.search(word) and not _ROLE_SHAPE.search(word)
                and _name_word(word) and (start == 0 or _SENTENCE_START.search(text, max(0, start - 20), start))):
            spans.append((start, before.end(1)))
        elif (start == 0 and word.isalpha() and word.islower() and len(word) >= 5
              and _SPEECH_OPENING.match(text, m.start())
              and not _ROLE_SHAPE.search(word) and word not in _ACRONYMS and word not in _SERVICE_WORDS
              and not _KIN_WORD.fullmatch(word)
              and _foreign_word(word)):
            # "tyrell says his mum's boyfriend hits him": a note that opens with a word no list holds,
            # then what was said, opens with who said it
            spans.append((start, before.end(1)))
    if _WIDE_LETTER.search(text):
        # "paweł wójcik says", "Mădălina Știrbu": Polish or Romanian letters in two words no English
        # word list holds
        for m in _WIDE_WORD.finditer(text):
            for pair in (_PAIR_BEFORE.search(text, max(0, m.start() - 30), m.end()),
                         _PAIR_AFTER.match(text, m.start())):
                if (pair and pair.group(0).count(" ") == 1 and all(_name_word(w) for w in pair.group(0).split())
                        and not _PLACE_BEFORE.search(text, max(0, pair.start() - 30), pair.start())):
                    spans.append(pair.span())
                    break
    return spans


# ---- Names met in passing ------------------------------------------------------------------------

# A bracket that says who a person is ("Lamin (Sierra Leonean boy, year 9)", "Prakash Gurung (dad)",
# "Aurelio (brother, 17)", "Oyelaran (the eldest, 15)"): the word before it names that person.
_PERSON_BRACKET = re.compile(r"\(\s*(?:(?:(?:the|a|an|his|her|their|our)\s+)?(?:[\w\-]+\s+){0,3}(?:" + _PEOPLE +
                             r"|eldest|youngest|oldest|middle\s+one|lad|lass|man|woman|stepdad|stepmum|twins|brothers|"
                             r"sisters)\b(?!['’])|"
                             r"(?:aged?\s*)?\d{1,2}\s*(?:yo|y/o|yrs?)?\s*,|(?:y|yr|year)\s?\d{1,2}\b)", re.IGNORECASE)
_SERVICE_BEFORE = re.compile(r"\b(?:referred\s+to|referral\s+to|signposted\s+to|via|through|by|from|with|to|at)\s+$",
                             re.IGNORECASE)
_BRACKET_NAME_BEFORE = re.compile(r"(?<![\w'’\-])(?:(" + _UCAP + r")\s+)?(" + _UCAP + r")\s*$")
# Whom a practitioner spoke to, met or saw ("spoke to Tyreese at the club", "seen with Ugochi"): a
# person, when the word is no English word, no service and no place.
_MET = re.compile(r"\b(?=[smvtwcs])(?:(?:met|spoke|speak|speaking|talked|talking|sat|chatted|checked\s+in|"
                  r"caught\s+up)\s+with|spoke\s+to|speak\s+to|speaking\s+to|talked\s+to|talking\s+to|met|"
                  r"saw|seen\s+with|seen|visited|was\s+with|were\s+with|chatted\s+to)\s+(" + _UCAP + r")(?![\w'’\-])",
                  re.IGNORECASE)
_CONVERSED = re.compile(r"(?:spoke|speak|speaking|talked|talking|chatted|sat|checked|caught|met\s+with)", re.IGNORECASE)
# Places met or visited, and the councils whose services a practitioner speaks to ("spoke to Camden"):
# by their shape, or named where the shape does not tell.
_COUNTRY_SHAPE = re.compile(r"(?:stan|land|ia|shire|burg|polis|ville|city|ton)$")
_PLACE_WORDS = frozenset("""
france greece spain italy portugal germany turkey belgium jamaica ghana china japan europe africa america egypt iran
iraq yemen sudan kenya uganda somalia eritrea ethiopia cyprus malta dubai wales london paris rome lagos accra
nairobi kabul dhaka karachi lahore islamabad delhi mumbai warsaw krakow bucharest vilnius riga kyiv
camden barnet hounslow lambeth wigan medway thurrock coventry dorset devon cornwall somerset norfolk suffolk essex
surrey sussex slough torbay plymouth southwark kent harrow wirral leeds york hull tameside bristol bath redcar
leicester bradford kirklees sefton halton bolton luton stockton ealing merton sutton brent havering islington
solihull gateshead birkenhead
""".split())
# Service abbreviations typed in capitals that read as words no list holds ("MARAC has agreed").
_ACRONYMS = frozenset("""
camhs marac mash lado senco sendco ofsted nspcc idva isva elsa mappa cafcass asbo ehcp gcse btec neet salt
cpir icpc rcpc lscb scp mosac sarc fgm cse cce iapt hmrc dwp ukvi ukba nass amhp nofa kooth
""".split())
# "coach - Eli Abramovitz turned up", "lunch staff: Tobenna Eze asked": a full name opening a clause
# after a dash or a colon, the clause going on in lower case.
_CLAUSE_VERB = re.compile(r"\s+(?:turned|asked|asks|missed|misses|arrived|left|cried|disclosed|refused|came|told|"
                          r"rang|hit|ran|walked|showed|shouted|screamed|hid|stole|attended|collected)\b")
_CLAUSE_PAIR = re.compile(r"(?:\s[-–]|:)\s+(" + _UCAP + r")\s+(" + _UCAP + r")(?=\s+[a-z])")
# "j smith in 6C", "k patel in 10R": an initial and a lower-case surname before the child's class.
_INITIAL_SURNAME_CLASS = re.compile(r"(?<![\w.&'’\-])([b-hj-z])\s+([a-z][a-z'’\-]{2,})"
                                    r"(?=\s*(?:,\s*|\(\s*|\s(?:in|from)\s+)"
                                    r"(?:\d{1,2}[a-z]{1,3}\b|(?:yr|year|y|yr\.)\s?\d{1,2}\b|class\s))",
                                    re.IGNORECASE)
# Things written as a letter and a word, not an initial and a surname.
_LETTER_WORDS = frozenset(["t shirt", "t shirts", "x ray", "x rays", "k pop", "v dub", "b tec", "e safety",
                           "e learning", "g force", "u turn", "t level", "t levels", "e coli", "c section", "s club",
                           "e cig", "e cigs", "e bike", "e scooter", "v neck", "e kit", "b team", "c team", "d team"])
# A name written in capitals inside a note in ordinary case ("JOSHUA has disclosed", "AMARA and KEMI
# OYELARAN both off today"): a given name no everyday word shares, with the capitalised surname beside
# it; or a word no list holds opening a clause before what a person does, or joined by "and" to a name.
# Service abbreviations (_ACRONYMS, ELSA among them) are never names.
_CAPS_WORD = re.compile(r"(?<![\w'’\-])[A-Z][A-Z'’\-]{3,}(?![\w'’\-])")
_CAPS_NEXT = re.compile(r"\s+([A-Z][A-Z'’\-]{2,})(?![\w'’\-])")
# "Family (Nguyen) are now living": the family's name in brackets.
_FAMILY_BRACKET = re.compile(r"\b(?:family|surname|household)\s*\(\s*(" + _UCAP + r")\s*\)", re.IGNORECASE)
# "dean is the dad", "Kemi is her mum": who someone is to the child.
_IS_THE_KIN = re.compile(r"\s+(?=[iw])(?:is|was)\s+(?:the|her|his|their)\s+(?:real\s+|birth\s+|"
                         r"step\s*)?(?:" + _KIN + r"|partner|boyfriend|girlfriend|stepdad|stepmum|carer)\b",
                         re.IGNORECASE)
_CLAUSE_START = re.compile(r"(?:^|[.!?;:,\n(]\s*|\s[-–]\s+)$")
_CAPS_AND = re.compile(r"(?<![\w'’\-])([A-Z][A-Z'’\-]{2,})\s+(?:and|&)\s+([A-Z][A-Z'’\-]{2,})"
                       r"(?=(?:\s+[A-Z][A-Z'’\-]{2,})?\s+[a-z])")


def _bracketed_person_word(word: str) -> bool:
    """A capitalised word that a bracket saying who someone is makes a name: on no English or service list."""
    low = _fold(word)
    if _given(word):
        return not _plain_word(word)
    # "Mermaids (young person, 15)", "Home-Start (mum with twins)", "Winston's Wish": a service's name
    if (low.endswith("s") and not low.endswith("ss") or word.endswith(("'s", "’s"))
            or any(part in _ENGLISH for part in low.split("-"))):
        return False
    return _name_word(word) or (
        len(low) >= 3 and not _plain_word(word) and low not in _ENGLISH and low not in _COMMON_AFTER
        and not _DEMONYM_SURE.search(low) and low.replace("-", "").replace("'", "").isalpha())


def _names_in_passing(text: str) -> list[tuple[int, int]]:
    """Names before a bracket saying who they are, after spoke to or met, after a dash, in capitals."""
    spans: list[tuple[int, int]] = []
    if "(" in text:
        for m in _PERSON_BRACKET.finditer(text):
            before = _BRACKET_NAME_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if not before or not before.group(2)[0].isupper():
                continue
            last, first = before.group(2), before.group(1)
            if not _bracketed_person_word(last):
                continue
            if (_PLACE_BEFORE.search(text, max(0, before.start() - 30), before.start())
                    or _SERVICE_BEFORE.search(text, max(0, before.start() - 20), before.start())):
                continue  # "moved from Leeds (dad's family)", "referred to Kidscape (boy, year 8)": a place, a service
            start = before.start(2)
            if first and _bracketed_person_word(first) and first.lower() not in _HOME_KIN:
                start = before.start(1)  # "Abba Rahman (dad)": the family's name is Rahman
            spans.append((start, before.end(2)))
    low_text = text.lower()
    if any(w in low_text for w in ("spoke", "speak", "talk", "met", "meet", "saw", "seen", "visit", " with ", "chat")):
        for m in _MET.finditer(text):
            word = m.group(1)
            low = _fold(word)
            if not _given(word) and (_COUNTRY_SHAPE.search(low) or _TOWN_SHAPE.search(low) or low in _PLACE_WORDS):
                continue  # "visited Romania", "spoke to Calderdale MASH": a place or its council
            if word[0].isupper():
                if _given(word) and _fold(word) not in _AMBIGUOUS or _name_word(word) and not _plain_word(word):
                    spans.append((m.start(1), _surname_after(text, m.end(1))))
            elif _CONVERSED.match(m.group(0)) and _lower_name_word(word) and not _plain_word(word):
                # "spoke to kwesi at break": in lower case only after talking with someone ("seen with
                # firearm", "met thresholds" are things)
                spans.append((m.start(1), m.end(1)))
    for m in (_FAMILY_BRACKET.finditer(text) if "(" in text and ("family" in low_text or "surname" in low_text
                                                                  or "household" in low_text) else ()):
        if m.group(1)[0].isupper() and _bracketed_person_word(m.group(1)):
            spans.append((m.start(1), m.end(1)))
    for cue in (_IS_THE_KIN.finditer(text) if " is " in low_text or " was " in low_text else ()):
        m = _WORD_END.search(text, max(0, cue.start() - 30), cue.start())
        if not m:
            continue
        word = m.group(1)
        if _fold(word) in _AMBIGUOUS and not _capitalised(word) and not _CLAUSE_START.search(
                text, max(0, m.start(1) - 20), m.start(1)):
            continue  # "the only hope is the dad": the word, unless it opens a clause ("dean is the dad")
        if not _stop(_fold(word)) and (_given(word) or word[0].isupper() and _name_word(word)):
            spans.append((m.start(1), m.end(1)))
    if "-" in text or "–" in text or ":" in text:
        for m in _CLAUSE_PAIR.finditer(text):
            first, last = m.group(1), m.group(2)
            # what a person does next, or a name a list knows ("Topic: Tik Tok challenge" is a heading)
            if ((_name_word(first) or _given(first) and not _plain_word(first)) and _name_word(last)
                    and (_PERSON_VERB.match(text, m.end()) or _CLAUSE_VERB.match(text, m.end())
                         or _name_shaped(first, last))):
                spans.append((m.start(1), m.end(2)))
    if " in " in low_text or " from " in low_text or "," in text or "(" in text:
        for m in _INITIAL_SURNAME_CLASS.finditer(text):
            word = _fold(m.group(2))
            if f"{m.group(1).lower()} {word}" in _LETTER_WORDS or _stop(word):
                continue  # "t shirt in class", "x ray from class": a thing
            if word in _SURNAMES or _surname_like(m.group(2)) or len(word) >= 4 and _foreign_word(m.group(2)):
                spans.append((m.start(1), m.end(2)))
    if any(c.islower() for c in text):
        for m in _CAPS_WORD.finditer(text):
            low = _fold(m.group(0))
            if low in _ACRONYMS:
                continue
            parts = low.split("-")  # "KAYDEN-LEE": every part a given name, one no everyday word
            listed = all(part in _GIVEN_NAMES for part in parts) and any(part not in _AMBIGUOUS for part in parts)
            if not listed:
                # "DANIELLA has told": a word no list holds, opening a clause, doing what a person does
                if not (_OPENING_WORD_DOES.match(text, m.end()) and _caps_name_word(m.group(0))
                        and (m.start() == 0 or _SENTENCE_START.search(text, max(0, m.start() - 20), m.start()))):
                    continue
            end = m.end()
            nxt = _CAPS_NEXT.match(text, end)
            if nxt and not _stop(_fold(nxt.group(1))) and _fold(nxt.group(1)) not in _ACRONYMS:
                end = nxt.end()
            spans.append((m.start(), end))
        for m in (_CAPS_AND.finditer(text) if " and " in text or "&" in text else ()):
            # "IKECHUKWU and ADAEZE both late": two names in capitals joined by "and", the note going on
            first, second = m.group(1), m.group(2)
            if (_caps_name_word(first) or _fold(first) in _GIVEN_NAMES) and (
                    _caps_name_word(second) or _fold(second) in _GIVEN_NAMES):
                spans.append((m.start(1), m.end(1)))
    if "(" in text:
        # "mum (tasha okonkwo)", "mum (krystal)": a bracket after kin gives the adult's name
        # (read only where a bracket opens, not along the whole note)
        for m in filter(None, (_BRACKET_WORDS.match(text, at) for at in _all_at(text, "("))):
            if not _KIN_BEFORE_BRACKET.search(text, max(0, m.start() - 24), m.start()):
                continue
            first, second = m.group(1), m.group(2)
            # (one word alone must be a listed given name: "mum (bipolar)" describes her)
            if (_lower_name_word(first) and _name_word(second) if second
                    else _given(first) and _name_word(first)):
                spans.append((m.start(1), m.end(2) if second else m.end(1)))
        # "r. st. clair (stepdad)": an initial and a surname, the bracket saying who the adult is
        for m in _INITIAL_THEN_KIN.finditer(text):
            if _fold(m.group(2)) not in _ENGLISH and not _stop(_fold(m.group(2))):
                spans.append((m.start(1), m.end(2)))
    return spans


_KIN_AND_ROLE = (r"(?:" + _KIN + r"|step[\s\-]?(?:mum|dad|mother|father)|partner|boyfriend|girlfriend|"
                 r"husband|wife|carer|foster\s+carer)")
_KIN_BEFORE_BRACKET = re.compile(r"\b" + _KIN_AND_ROLE + r"\s*$", re.IGNORECASE)
_BRACKET_WORDS = re.compile(r"\(\s*([A-Za-z][a-z'’\-]{2,})(?:\s+([A-Za-z][a-z'’\-]{2,}))?\s*\)")
_INITIAL_THEN_KIN = re.compile(r"(?<![\w.])([A-Za-z]\.\s?(?:(?:st|saint)\.?\s+)?)([A-Za-z][a-z'’\-]{2,})\s*"
                               r"\(\s*(?:mum['’]s\s+|dad['’]s\s+)?" + _KIN_AND_ROLE + r"\s*\)", re.IGNORECASE)


def _caps_name_word(word: str) -> bool:
    """True when a word typed in capitals reads as a name no list holds, not a service abbreviation."""
    low = _fold(word)
    title = word.title()
    return (len(low) >= 4 and low not in _ACRONYMS and _name_word(title)
            and not _ROLE_SHAPE.search(title) and len(re.findall(r"[aeiouy]", low)) * 3 >= len(low))


# ---- Dates ---------------------------------------------------------------------------------------

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19\d\d|20\d\d|'?\d\d)"
# ("dob-8/21/2015", "b.12/31/2010": a mark after a word may run into the date; not one after a figure)
_NUMERIC_DATE = re.compile(r"(\d(?<![\d/]\d)(?<!\d[.\-]\d)\d?)[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?![\d/\-]|\.\d)")
_ISO_DATE = re.compile(r"[12](?<!\d[12])(?:(?<=1)9|(?<=2)0)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)")
_TEXT_DATE = re.compile(
    r"\b(?=[\djfmasond])(?:" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR +
    r"|" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r")(?![\w/]|[:.]\d)", re.IGNORECASE)
# A day and month without a year ("on 2 Oct", "since 5th September") dates an event in the child's
# life: with the school or the area it narrows who the child is, and practitioners who label notes
# independently agree it identifies. So it is a date (a date of birth next to "born" or "DOB").
_DAY_MONTH = re.compile(r"\b(?=[\djfmasond])"
                        r"(?:(" + _DAY + r")(?:\s+|-)(?:of\s+)?(" + _MONTH + r")|(" + _MONTH + r")\s+(" + _DAY + r"))"
                        r"\b", re.IGNORECASE)
# A number that is a year group, an age or a room before a month is not a day ("Year 10 May mocks").
_NOT_A_DAY = re.compile(r"\b(?:year|yr|y|age|aged|room|class|section|level|page|group|set|grade|stage|ks|no|"
                        r"number|flat|house|bus|route|£)\s*$", re.IGNORECASE)
# "may" in lower case is mostly the verb ("aged 7 may have"): a month only as a date is written.
_DATE_LEAD = re.compile(r"\b(?:on|since|from|until|till|til|to|by|before|after|dated|held|of|the|and|"
                        r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|"
                        r"fri|sat|sun)\s*$", re.IGNORECASE)
# "on 17/11": a day and month in figures, with a word that says it is a date (not "3/10 on the scale").
# "wk beg 11/11", "date of incident 7/11", "last seen 3/2": what says when, before the figures.
_DATE_WORD_BEFORE = re.compile(r"(?:\b(?:on|since|from|until|till|by|dated|before|after|wc|incident|date|happened|"
                               r"occurred|(?:last|lst|lest)\s+seen|seen(?:\s+on)?|"
                               r"(?:on|from|since|until|till|by)\s+the|"
                               r"week\s+(?:beginning|commencing|of|ending)|"
                               r"wk\s+beg(?:inning)?|wk\s+of)|\bw/[cbe]|"
                               # "the fight was 21/11", "the incident was 14/3": what happened, then when
                               r"\b(?:fight|fights|incident|assault|attack|argument|row|disclosure|meeting|party|"
                               r"visit|appointment|hearing|overdose|accident|injury|exclusion|arrest|fire|referral|"
                               r"conference|icpc|court\s+date|last\s+contact|contact)\s+"
                               r"(?:was|is|were|happened|took\s+place)(?:\s+on)?)[\s:]+$", re.IGNORECASE)
# "3/4 of the way"; "seen 2/7 ago" (two days, as clinicians write 2/7, 3/52, 6/12): no day of the year
# "from 3/5 to 4/5 on the scale", "on the 2/3 split rota": a score or a share, not a day
_SCORE_NEAR = re.compile(r"[^.;!?\n]*?\b(?:scale|scores?|scored|marks?|rated|rating|ratio|quiz|split|rota|"
                         r"share|majority|(?:down|up|dropped|fell|rose|went)\s+to\s+\d+/\d+)\b", re.IGNORECASE)
_NOUN_AFTER_247 = re.compile(r"\s+(?:access|support|care|cover|helpline|line|service|services|contact|"
                             r"supervision|monitoring|availability|online|gaming)\b", re.IGNORECASE)
# ("seen 1/2 way through", "the 1/2 term", "seen 3/4 times": a share of something, not a day)
_FRACTION_OF = re.compile(r"\s+(?:of\s+(?:the|a|an|his|her|their|them|those|these|all)|ago|previously|prior|"
                          r"earlier|later|post|way|term|times|hours?|days|weeks|months|dozen)\b")
# "02/11", "14/09": a day and month with a leading zero are written as dates, never as scores.
_PADDED_DAY_MONTH = re.compile(r"(\d(?<![\d/.£$]\d)(?:(?<=0)[1-9]/(?:0[1-9]|1[0-2])|(?<=[12])\d/0[1-9]|"
                               r"(?<=3)[01]/0[1-9]))(?![\d/]|\.\d)")
# "Tuesday 17th", "Friday the 3rd": a weekday with a day of the month is one date.
_WEEKDAY_DAY = re.compile(r"\b(?=[mtwfs])"
                          r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?\s+"
                          r"(?:the\s+)?"
                          r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b"
                          r"(?!\s+(?:period|lesson|week|time|floor|hour|session|year|half|term|class)\b)",
                          re.IGNORECASE)
# "Thurs 10/4", "weds 12.11": a weekday before a day and month in figures says the figures are a date.
# "sat" and "sun" in lower case are mostly verbs and nouns ("sat 3/10 on the scale"): a date only
# written in full or with a capital.
_DAY_MONTH_FIGURES = re.compile(r"(\d(?<![\d/.\-]\d)\d?)[/.](\d\d?)(?![\d/]|\.\d)")
_WEEKDAY_BEFORE = re.compile(r"\b(" + _WEEKDAY + r")"
                             r"\.?,?\s+(?:the\s+)?$", re.IGNORECASE)
# "a group of 4 may need", "all 5 may be": "may" the verb, whatever comes before the number.
_MAY_VERB_AFTER = re.compile(r"\s+(?:not|be|have|need|needs|want|also|still|well|go|come|get|try|move|stay|leave|take|"
                             r"make|struggle|benefit|require|know|feel|find|say|tell|ask|help|lose|face|end|become|"
                             r"seem|look|refuse|decide|return|change|happen|include|affect|continue|give|use|see|"
                             r"mean|attend|escalate|increase|show|disclose|already|even|never|only|just|soon|"
                             r"now|then|all|both|each|either|otherwise|sometimes|possibly|actually|really)\b")
# "v12.10.24", "version 10.11.22", "build 4.5.21": a software version, not a day.
_VERSION_BEFORE = re.compile(r"(?:\b[vV]|\b(?i:ver|version|build|release|firmware|ios|android|patch))\.?\s?$")
_MONTH_YEAR = re.compile(r"\b(?=[ijfmasond])(?:in\s+)?" + _MONTH + r",?\s+(?:19|20)\d\d\b", re.IGNORECASE)
_BIRTH = re.compile(r"(?:\bd\.?\s?o\.?\s?b\b\.?|\bd/o/b\b|\bdate of birth\b|\bborn\b|\bb\.|\bbirthday\b|\bbirth date\b|"
                    r"\bb['’\-]?days?\b|\bbdate\b|\bturns?\s+\d{1,2}\b|"
                    r"\bdob\b|\bbn\b)[\s:\-]*(?:is\s+|on\s+|was\s+)?(?:the\s+)?$", re.IGNORECASE)
# "25th december 2018 is her dob", "19/07/2013 (dob)": the date first, then what it is.
_BIRTH_AFTER = re.compile(r"[\s,:=\-]*(?:\(\s*)?(?:(?:is|was|=)\s+)?"
                          r"(?:(?:her|his|their|the|my|child['’]?s|baby['’]?s)\s+)?"
                          r"(?:dob|d\.o\.b|date\s+of\s+birth|birth\s?day|bday|birth\s+date)\b(?![.:\s]*\d)",
                          re.IGNORECASE)

# A date of birth said as it is spoken ("twenty second of january 2014", "the fourth of march two
# thousand and sixteen"), as a phone call or a dictated note writes it.
_ORDINAL_WORD = (r"(?:(?:twenty|thirty)[\s\-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|first|"
                 r"second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
                 r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)")
_NUMBER_WORD = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                r"sixteen|seventeen|eighteen|nineteen|twenty(?:[\s\-](?:one|two|three|four|five|six|seven|eight|"
                r"nine))?)")
_YEAR_WORDS = r"(?:two\s+thousand(?:\s+(?:and\s+)?" + _NUMBER_WORD + r")?|twenty\s+" + _NUMBER_WORD + r")"
_WORD_DATE = re.compile(r"\b(?=[tfsen])(?:the\s+)?" + _ORDINAL_WORD +
                        r"\s+(of\s+)?(" + _MONTH + r")(?:(,?\s+(?:" + _YEAR +
                        r"|" + _YEAR_WORDS + r"))\b)?(?![\w'])", re.IGNORECASE)
# "the 2nd of the 2nd 2020": a day and a month both as ordinals, as some people say a date of birth.
_ORDINAL_OF_ORDINAL = re.compile(r"(?<![\w/])([12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\s+of\s+the\s+"
                                 r"(0?[1-9]|1[0-2])(?:st|nd|rd|th)\b(?:,?\s+((?:19|20)\d\d)\b)?", re.IGNORECASE)
# "2014/12/05", "2011.11.04": a year first, as some systems print a date of birth.
# "DOB 07 08 2010": a date of birth typed with spaces, as a form with boxes reads out.
_SPACED_DATE = re.compile(r"(\d(?<![\d/.\-]\d)\d?)\s(\d\d?)\s((?:19|20)\d\d)(?!\d)")
# "dob 20120304", "DOB 04032012": a date of birth typed as a system stores it, with no marks.
_COMPACT_DATE = re.compile(r"\d(?<![\d]\d)(?:(?:(?<=1)9|(?<=2)0)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|"
                           r"\d(?:0[1-9]|1[0-2])(?:19|20)\d\d)(?!\d)")
_YMD_DATE = re.compile(r"[12](?<![\d/.\-][12])(?:(?<=1)9|(?<=2)0)\d\d[/.](?:0?[1-9]|1[0-2])[/.]"
                       r"(?:0?[1-9]|[12]\d|3[01])(?![\d/]|\.\d)")


# A number with a unit after it is a measure ("4.2kg", "1.5 litres", "3.5 stone"), never a date.
_UNIT_AFTER = re.compile(r"(?:\s*(?:-|to)\s*\d+(?:\.\d+)?)?\s?(?:kg|kgs|kilos?|kilograms?|g|grams?|lbs?|oz|st|stone|"
                         r"m|cm|mm|km|metres?|meters?|ml|l|"
                         r"litres?|liters?|mg|mcg|mmol|units?|%|percent|hours?|hrs?|mins?|minutes?|miles?|mph|"
                         r"degrees?|°c?)(?![\w/])", re.IGNORECASE)

# A decimal after what is measured ("BMI went from 14.2 to 13.1", "weight 12.5").
_MEASURE_BEFORE = re.compile(r"\b(?:weight|weighs|weighed|bmi|height|length|temp|temperature|centile|percentile|"
                             r"oxygen|sugar|circumference|dose)\b"
                             r"[^.;!?]*$",
                             re.IGNORECASE)


# "born last week, 24/11/2026", "born early, on 14/05/2019": a date a few words after "born" is still
# the birth date (no year or other figure between them, which would be the birth said another way).
_BORN_NEAR = re.compile(r"\bborn\b(?:[\s,(]+(?:[a-z]+|\d{1,2}))(?:[\s,]+(?:[a-z]+|\d{1,2})){0,3}[\s,(:\-]+$",
                        re.IGNORECASE)
# "dob for Ngozi is 30-08-2017", "dob of mum Stacey 05/05/1996": whose birth, then the date.
_DOB_FOR = re.compile(r"(?:\bd\.?\s?o\.?\s?b\b\.?|\bdate of birth\b)\s+(?:for|of)\s+(?:[\w'’\-]+\s+){0,2}?[\w'’\-]+"
                      r"(?:\s+(?:is|was))?[\s:,\-]*$", re.IGNORECASE)
# "on the 25th she is being taken to pakistan", "mum disclosed it on the 1st.": a day of the month said
# alone dates an event about the child. Not a floor, a time or a centile ("on the 9th floor", "on the
# 3rd of the 4 visits"): only an ordinal the sentence moves on from (a stop, or a new clause) counts.
# "the court date is the 24th": a date named as a hearing's or a visit's day is one too.
_ORDINAL_EVENT_LEAD = re.compile(r"\b(?:on|by|before|after|until|till|since|(?:date|day|hearing|appointment|"
                                 r"meeting|deadline|birthday|bday)\s+(?:is|was|will\s+be|is\s+now|moved\s+to))"
                                 r"\s+the\s+$", re.IGNORECASE)
_ORDINAL_EVENT = re.compile(r"(\d\d?(?:st|nd|rd|th))\b"
                            r"(?=\s*(?:[.,;:!?)]|$)|\s+(?:she|he|they|i|we|you|it|mum|dad|her|his|their|my|our|"
                            r"there|this|that|then|when|and|but|so|because|after|before|"
                            # ("it happened on the 14th in the car", "on the 9th at the bus stop")
                            r"in|at|while|whilst|during|outside|near|"
                            # ("on the 2nd Tuesday of the month" is a meeting that recurs, no one day)
                            r"(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)[A-Z][a-z]+)\b)")


def _dates(text: str) -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []

    def add(start: int, end: int, need_birth: bool = False) -> None:
        if _UNIT_AFTER.match(text, end) or "." in text[start:end] and _MEASURE_BEFORE.search(text, max(0, start - 30),
                                                                                              start):
            return  # "from 4.2kg to 3.9kg", "BMI went from 14.2": a measure, not the 4th of February
        if _VERSION_BEFORE.search(text, max(0, start - 10), start):
            return
        birth = (_BIRTH.search(text[max(0, start - 30):start]) is not None
                 or _BORN_NEAR.search(text, max(0, start - 30), start) is not None
                 or _DOB_FOR.search(text, max(0, start - 40), start) is not None
                 or _BIRTH_AFTER.match(text, end) is not None)
        if need_birth and not birth:
            return
        out.append(("dob" if birth else "date", start, end))

    for m in _NUMERIC_DATE.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12 or 1 <= day <= 12 and 13 <= month <= 31:
            add(m.start(), m.end())  # (month first, "05/25/2016", as American records write it)
        elif day <= 39 and month <= 39:
            add(m.start(), m.end(), need_birth=True)  # "dob 31/02/2016": a mistyped birth date is still one
    for m in _ISO_DATE.finditer(text):
        add(m.start(), m.end())
    for m in _YMD_DATE.finditer(text):
        add(m.start(), m.end())
    for m in _finditer_any_case(_WORD_DATE, text):
        month = m.group(2)
        # "the first may be": "may" the verb, unless "of" or a year says it is the month
        if m.group(1) or m.group(3) or month[:1].isupper() or month.lower() != "may":
            add(m.start(), m.end())
    for m in _finditer_any_case(_TEXT_DATE, text):
        add(m.start(), m.end())
    for m in _finditer_any_case(_ORDINAL_OF_ORDINAL, text):
        add(m.start(), m.end(), need_birth=m.group(3) is None)  # "the 2nd of the 2nd" alone may be no date
    for m in _COMPACT_DATE.finditer(text):
        add(m.start(), m.end(), need_birth=True)
    for m in _SPACED_DATE.finditer(text):
        if 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12:
            add(m.start(), m.end(), need_birth=True)
    for m in _finditer_any_case(_MONTH_YEAR, text):
        if not any(s <= m.start() < e for _, s, e in out):
            add(m.start(), m.end(), need_birth=True)
    for m in _finditer_any_case(_DAY_MONTH, text):
        if any(s <= m.start() < e for _, s, e in out):
            continue
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if m.group(1) and _NOT_A_DAY.search(text[max(0, m.start() - 12):m.start()]):
            continue
        if month.lower() == "may" and month != "May" and m.group(1) and _MAY_VERB_AFTER.match(text, m.end()):
            continue  # "the group of 4 may need": the verb
        if month.lower() == "may" and month != "May" and not (
                day[-1:].isalpha() or " of " in m.group(0).lower()
                or _DATE_LEAD.search(text[max(0, m.start() - 12):m.start()])):
            continue
        add(m.start(), m.end())
    for m in _DAY_MONTH_FIGURES.finditer(text):
        if not (1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12):
            continue
        if any(s < m.end() and m.start() < e for _, s, e in out):
            continue
        weekday = _WEEKDAY_BEFORE.search(text, max(0, m.start() - 16), m.start())
        if weekday and not (weekday.group(1).lower() in ("sat", "sun") and weekday.group(1).islower()
                            and not _SENTENCE_START.search(text, max(0, weekday.start() - 20), weekday.start())):
            add(weekday.start(), m.end())  # "she sat 3/10 on the scale" is no day; "sun 3/11 she ran" is
        elif (_DATE_WORD_BEFORE.search(text, max(0, m.start() - 24), m.start())
              and not _FRACTION_OF.match(text, m.end()) and not _SCORE_NEAR.match(text, m.end(), m.end() + 30)
              and not (m.group(0) == "24/7" and _NOUN_AFTER_247.match(text, m.end()))):
            add(m.start(), m.end())
    for m in _ORDINAL_EVENT.finditer(text):
        if (not text[m.start() - 1:m.start()].isdigit() and 1 <= int(m.group(1)[:-2]) <= 31
                and _ORDINAL_EVENT_LEAD.search(text, max(0, m.start() - 14), m.start())
                and not any(s < m.end(1) and m.start(1) < e for _, s, e in out)):
            add(m.start(1), m.end(1))
    for pattern in (_PADDED_DAY_MONTH, _WEEKDAY_DAY):
        for m in pattern.finditer(text):
            start, end = (m.start(1), m.end(1)) if pattern is not _WEEKDAY_DAY else (m.start(), m.end())
            if not any(s < end and start < e for _, s, e in out):
                add(start, end)
    return out


# ---- Numbers -------------------------------------------------------------------------------------

_TEN_DIGITS = re.compile(r"(\d(?<![\d+]\d)\d{2})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d])")
# "8599 528 904": NHS numbers are also written 4-3-3; with an NHS label or a valid check digit
_TEN_DIGITS_433 = re.compile(r"(\d(?<![\d+]\d)\d{3})[ \-](\d{3})[ \-](\d{3})(?![\d])")
# "7326 1353 20", "55 0473 6889": however a number is grouped, ten digits with a valid NHS check
# digit are a child's NHS number (about one number in eleven passes by chance, and no landline or
# mobile starts without 0), so a wristband or red-book number read out in any grouping is caught.
_TEN_DIGITS_GROUPED = re.compile(r"\d(?<![\d+\-/.]\d)\d{1,4}(?:[ \-]\d{2,5}){1,3}(?![\d\-/]|[.,]\d)")
_NHS_CONTEXT = re.compile(r"\bnhs\b|\bchi\b|health (?:record|number)|patient", re.IGNORECASE)
_UPN = re.compile(r"\b[A-Za-z][ \-]?(?:\d[ \-]?){11}[0-9A-Za-z]\b")
_UPN_CONTEXT = re.compile(r"\bupn\b|pupil number", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)\d[\d \-()]{7,14}\d(?!\d)")
# "0 7 7 0 0 9 0 0 5 5 2": a number read out digit by digit still rings the parent.
_PHONE_SPACED = re.compile(r"(?<![\w+])0(?:[ \-.]\d){9,10}(?![\w]|[ \-.]\d)")
# Digits grouped by dots as some phones show them ("07700.900.233", "0113.496.0877"); a version number
# ("3.4.1") or a price does not start with 0 and run to ten digits.
_PHONE_DOTTED = re.compile(r"(?<![\w+.])0\d{2,4}\.\d{3,4}\.\d{3,4}(?![\w]|\.\d)")
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b")
# An email typed loose so a filter will not read it ("bigdave1977 @ example.com", "jay at gmail dot com",
# "kwame(at)example(dot)org") still reaches the parent. "at" as a word needs "dot" or a mail domain after.
_AT = r"(?:\s*@\s*|\s*[(\[]\s*at\s*[)\]]\s*|\s+at\s+)"
_DOT = r"(?:\s*\.\s*|\s*[(\[]\s*dot\s*[)\]]\s*|\s+dot\s+)"
_EMAIL_LOOSE = re.compile(r"(?<![\w.@])[A-Za-z0-9._%+\-]+(?=[\s(\[@])" + _AT + r"[A-Za-z0-9\-]+(?:" + _DOT +
                          r"[A-Za-z0-9\-]+)*?" + _DOT + r"(?:com|org|net|co|uk|gov|ac|nhs|sch|edu|info|me|io|"
                          r"biz)\b(?:" + _DOT + r"(?:uk|com|org|net)\b)*", re.IGNORECASE)
_MAIL_DOMAIN = re.compile(r"(?:gmail|googlemail|hotmail|outlook|live|yahoo|icloud|aol|btinternet|sky|virginmedia|"
                          r"protonmail|proton|msn|me|mail|example)\b", re.IGNORECASE)
_MAIL_DOMAIN_ANYWHERE = re.compile(r" at (?:gmail|googlemail|hotmail|outlook|live|yahoo|icloud|aol|btinternet|sky|"
                                   r"virginmedia|protonmail|proton|msn|me|mail|example)\b")

_POSTCODE_AREAS = frozenset("""
AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN
EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N
NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN
TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
""".split())
_POSTCODE = re.compile(r"\b([A-Za-z]{1,2})(\d[A-Za-z\d]?)\s?(\d)([ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})\b")
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)$", re.IGNORECASE)


def _true_ordinal(word: str) -> bool:
    """True when the digit and suffix agree as an ordinal does ("3rd", "4th"), unlike "4RD"."""
    digit, suffix = word[-3], word[-2:].lower()
    return suffix == {"1": "st", "2": "nd", "3": "rd"}.get(digit, "th")


def nhs_check_digit_ok(digits: str) -> bool:
    """True when a 10-digit number passes the NHS number Modulus 11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


_DIAL_CODE_BEFORE = re.compile(r"(?:\+\s?\d{1,3}|\(0\))\s*$")
# "lives round sw98hx": a postcode run together in lower case, where a place is said
# ("gave her postcode as ls116ar", "moved from b330rj": a postcode said a few words on, or a move)
_POSTCODE_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|round|around|postcode|pc|lives|living|address|to|from|"
                                    r"moved\s+to|(?:post\s?code|pc|p/c|address)\b(?:\s+[a-z']+){0,3}\s+(?:as|is|was))"
                                    r"\s*(?::|->|=|-)?\s*$|"
                                    r"\b(?:lives|living|staying|address|flat)\b[^.;!?\n]{0,24},\s*$",
                                    re.IGNORECASE)


def _numbers(text: str) -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []
    for m in _TEN_DIGITS.finditer(text):
        digits = "".join(m.groups())
        if _DIAL_CODE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "+44 (0)20 7946 0544": a phone number, whatever its digits
        context = _NHS_CONTEXT.search(text[max(0, m.start() - 40):m.start()]) is not None
        # 3-3-4 spacing not starting 0 is how NHS numbers are written (phone numbers start 0)
        spaced = m.group(0) != digits and not digits.startswith("0")
        if context or spaced or nhs_check_digit_ok(digits):
            out.append(("nhs", m.start(), m.end()))
    for m in _TEN_DIGITS_433.finditer(text):
        digits = "".join(m.groups())
        if _DIAL_CODE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "+44 (0)20 7946 0544": a phone number, whatever its digits
        context = _NHS_CONTEXT.search(text[max(0, m.start() - 40):m.start()]) is not None
        # a landline is written 4-3-3 too ("0161 496 0000"), but no NHS number starts with 0
        if not digits.startswith("0") and (context or nhs_check_digit_ok(digits)):
            out.append(("nhs", m.start(), m.end()))
    for m in _TEN_DIGITS_GROUPED.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if _DIAL_CODE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "+44 (0)20 7946 0544": a phone number, whatever its digits
        if (len(digits) == 10 and not digits.startswith("0")
                and (nhs_check_digit_ok(digits) or _NHS_CONTEXT.search(text[max(0, m.start() - 40):m.start()]))
                and not any(s < m.end() and m.start() < e for _, s, e in out)):
            out.append(("nhs", m.start(), m.end()))
    for m in _UPN.finditer(text):
        if not any(s < m.end() and m.start() < e for _, s, e in out):
            out.append(("upn", m.start(), m.end()))
    for m in (*_PHONE.finditer(text), *_PHONE_SPACED.finditer(text), *_PHONE_DOTTED.finditer(text)):
        if any(s < m.end() and m.start() < e for _, s, e in out):
            continue
        digits = re.sub(r"\D", "", m.group(0))
        if digits.startswith("44"):
            digits = "0" + digits[2:].removeprefix("0")
        # (a scale read out, "0 1 2 3 4 5...", is no number)
        if (len(digits) in (10, 11) and digits[1] in "123578"
                and not (m.re is _PHONE_SPACED and digits.startswith("01234"))):
            out.append(("phone", m.start(), m.end()))
    for m in _EMAIL.finditer(text):
        out.append(("email", m.start(), m.end()))
    low = text.lower()
    if (" @" in text or "@ " in text or " dot " in low or "(at)" in low or "[at]" in low
            or _MAIL_DOMAIN_ANYWHERE.search(low)):
        for m in _EMAIL_LOOSE.finditer(text):
            if any(s < m.end() and m.start() < e for _, s, e in out):
                continue
            at = re.search(_AT, m.group(0), re.IGNORECASE)  # "SAFE AT HOME" in capitals once raised here
            if at is None:
                continue
            rest = m.group(0)[at.end():]
            local = _fold(m.group(0)[:at.start()])
            if "@" not in at.group(0) and (_stop(local) or local in _ENGLISH):
                continue  # "he was at school dot com": a word, then "at", not a mailbox
            if "@" in at.group(0) or re.search(r"dot", rest, re.IGNORECASE) or _MAIL_DOMAIN.match(rest):
                out.append(("email", m.start(), m.end()))
    for m in _POSTCODE.finditer(text):
        area, inward = m.group(1).upper(), m.group(3) + m.group(4)
        if area not in _POSTCODE_AREAS or (_ORDINAL.search(inward) and _true_ordinal(inward)
                                           and not inward.isupper()):
            continue  # "B1 3rd floor" is a floor; "B11 4RD" is a postcode
        if m.group(0).islower() and " " not in m.group(0) and not _POSTCODE_PLACE_BEFORE.search(
                text, max(0, m.start() - 40), m.start()):
            continue  # "b701aa" run together in lower case is too like a code word
        out.append(("postcode", m.start(), m.end()))
    return out


# ---- Addresses -----------------------------------------------------------------------------------

_STREET_SURE = (r"street|st|road|rd|avenue|ave|lane|ln|crescent|cres|drive|terrace|gardens|grove|mews|"
                r"boulevard|parade|cottages|villas")
_STREET_CAPITAL = (r"Lanes|Broadway|Close|Way|Walk|Court|Row|Hill|Park|Square|Place|View|Rise|Green|Vale|Mount|Fold|Croft|Wharf|"
                   r"Yard|Gate|Meadows?|Heights|Estate|Fields|Bank|Brow|Side|Chase|Drove|End|Approach|Ridge|Dale|"
                   r"Lea|Leys|Orchard|Hollow|Nook|Quay|Circus|Wynd|Paddocks?|Parkway|Ride|Glade|Copse|Common|"
                   r"Heys?|Cloisters?|Pastures?|Passage|Path|Alley|Arcade|Esplanade|Promenade|Embankment|Precinct|"
                   r"Spinney|Reach|Crest|Downs|Moor|Carr|Garth|Grange|Lawns?|Mead|Oval|Circle|Causeway|Field|"
                   r"Woods?|Brae|Hythe|Knoll|Sidings|Steps|Wharfside|Dell|Coppice|Greenway|Link|Loke|Twitten")
# (the digit first, so that a note is scanned quickly for digits; the check before it looks behind)
_HOUSE = r"\d(?<![\w/.:£$]\d)\d{0,3}[a-zA-Z]?\b,?\s+"
_ADDRESS_CAPITAL = re.compile(_HOUSE + r"((?:[A-Z][A-Za-z'\-]*\s+){1,3}?)(?:" + _STREET_CAPITAL + r")\b")
# "5 The Paddocks", "12 The Green": a house number before "The" and a capitalised place name.
_ADDRESS_THE = re.compile(_HOUSE + r"(?:(The\s+)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\b|"
                          r"the\s+(?i:crescent|close|green|avenue|grove|drive|parade|square|mews|terrace|oval|"
                          r"circle|causeway|broadway|paddock|orchard|willows|beeches|limes|laurels|maltings)\b)")
_NOT_STREET_WORDS = frozenset("""
the a an and or of in on at to for with from by is was are be times days day weeks week months month years
year hours hour minutes mins children kids siblings people men women boys girls adults friends pupils
sessions nights night stone kg lessons mornings evenings out his her their my our your this that every each
other more than over under about last next first year-old old
""".split())


# A street named with a door or a room near it ("flat 22 on Beechcroft Avenue", "on Wickham Road, number
# 41", "the B&B on Canal Side Road, room 6") says where the child sleeps. A road alone ("lives off
# Station Road somewhere", "near the High Street shops") is shared by hundreds of homes: a warning
# there would teach people to tap past it.
_STREET_NAMED = re.compile(r"\b(?:on|in|at|off|from|to|near)\s+((?:[A-Z][A-Za-z'\-]*\s+){1,3}?)"
                           r"(?:Street|Road|Avenue|Lanes?|Crescent|Drive|Terrace|Gardens|Grove|Close|Mews|Parade|Row|Rise|Vale)\b")
_DOOR_NEAR = re.compile(r"\b(?i:number|no\.?|num|room|rm|flat|apartment|apt|unit)\s*\d")


# A flat in a named block ("4B Fennimore House", "Flat 3 Redgrave Lodge", "Kestrel House, Wharton
# Street"): the block and the flat number say which door, as a street address does. "The flat" or
# "a hostel" alone say nothing.
_BUILDING = (r"(?:House|Court|Tower|Towers|Lodge|Mansions|Buildings|Point|Heights|Hall|Apartments|Flats|Block|"
             r"Hostel|Hotel|Refuge|Inn|Cottage|Cottages|Farm)")
_FLAT_IN_BUILDING = re.compile(r"(?:\b(?:[Ff]lat|[Aa]partment|[Aa]pt\.?|[Uu]nit)\s+\d{1,4}[A-Za-z]?,?\s+|"
                               + _HOUSE + r")"
                               r"((?:[A-Z][A-Za-z'\-]*\s+){1,2}?)" + _BUILDING + r"\b")
# "Room 3, Hollybush Hostel, Gower Street", "Rm 12 Travelodge, Wharf Road": a room in a hostel, hotel or
# refuge where a family is placed is their front door. A room in a school ("Room 4, Science Block") is not:
# so a room needs a lodging word or a street after the building.
_ROOM_IN_LODGING = re.compile(r"[Rr](?<![\w\-][Rr])(?:oom|m)\.?\s+\d{1,4}[A-Za-z]?,?\s+"
                              r"((?:[A-Z][A-Za-z'&\-]*\s+){0,2}?(?:Hostel|Hotel|Refuge|Inn|B&B|Travelodge|Lodge|"
                              r"Guest\s+House|House|Court|Hall|Point|Heights))\b"
                              r"(?:,?\s+(?:on\s+|off\s+)?(?:[A-Z][A-Za-z'\-]*\s+){1,3}?(?i:" + _STREET_SURE + r"|"
                              r"approach|close|way|walk|row|square|place|hill|green|yard|wharf|quay)\b)?")
# "living at Cobden House": a named block where the child sleeps, said with no number.
_LIVES_IN_BUILDING = re.compile(r"\b(?:live|lives|living|lived|staying|stays|stay|stayed|moved|moving|housed|placed|"
                                r"rehoused|sleeps|sleeping)\s+(?:at|in|into|to)\s+((?:[A-Z][A-Za-z'\-]*\s+){1,2}?)"
                                + _BUILDING + r"\b")
_BUILDING_ON_STREET = re.compile(r"\b((?:[A-Z][A-Za-z'\-]*\s+){1,2}?)" + _BUILDING + r",?\s+(?:on\s+|off\s+)?"
                                 r"((?:[A-Z][A-Za-z'\-]*\s+){1,3}?)(?i:" + _STREET_SURE + r")\b")


# Public buildings everyone uses ("2 Crown Court appearances", "the Town Hall"): no one's home.
_NOT_BUILDING = frozenset("""
town village church city sports school community county crown magistrates youth scout leisure assembly
music concert main great guild market bingo pool residential civic district sessions family
""".split())


# "at 88 Kingsway", "living at 12 Broadway", "from 4 Parkside": a house number and a one-word street
# name whose ending says street. Only after a word that says where, so "3 Gateway sessions" is not.
_ONE_WORD_STREET = re.compile(r"\b(?:at|from|to|on|in|near|outside|opposite|address(?:\s+is)?:?|lives|living|staying)"
                              r"\s+(\d{1,4}[a-zA-Z]?,?\s+([A-Z][a-z]{2,}(?:way|gate|side|field|fields|wood|bank|"
                              r"croft|dale|moor|lands|mead|hurst|holme|garth|ridge|brook|grange)))\b(?![\-'])")
# "seen at 19 Old Mill behind the station", "address: 7 Tanners": a house number and a place's name after
# "at" say which door even when the street word is left off or is one no list holds. Not a time or a day
# ("at 9 Tuesday", "at 3 Dec"), a year group or a service ("at 10 Year", "at 3 Family Hub").
_NUMBER_AND_NAME_AT = re.compile(r"\b(?=[aoA])(?:at|outside|address(?:\s+is)?:?)\s+"
                                 r"(\d(?<![\d.:]\d)\d{0,3}[a-zA-Z]?,?\s+"
                                 r"(?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+)\b(?![\-'’])")
_MONTH_WORD = re.compile(_MONTH)
_TRADE_WORDS = frozenset("bakery cafe café pub bar shop store restaurant takeaway chippy club gym cinema bowling "
                         "market salon barbers garage kebab pizza".split())
_STREET_TIME_WORDS = frozenset("oclock pm am noon midnight midday weeks days months hours mins times lessons".split())
_NOT_ONE_WORD_STREET = frozenset("""
gateway pathway halfway railway motorway subway doorway hallway stairway highway walkway driveway runway seaside
outside inside beside aside offside upside downside roadside riverside countryside fireside bedside poolside
ringside wayside graveside
""".split())


# "Flat 3, 27 Kingsway", "Apartment 2, 61 Northway": a flat number, then a house number and a street's
# name, is a front door whatever word the street's name ends with.
_FLAT_THEN_HOUSE = re.compile(r"\b(?=[FfAaUu])(?:[Ff]lat|[Aa]partment|[Aa]pt\.?|[Uu]nit)\s+\d{1,4}[A-Za-z]?,?\s+"
                              r"\d{1,4}[A-Za-z]?,?\s+((?:[A-Z][a-z'\-]+\s+){0,2}[A-Z][a-z'\-]{2,}|"
                              r"[a-z]{4,}(?:\s+(?:" + _STREET_SURE + r"))?)\b")
# "Flat 9, Block C, Beaumont Estate, Hadley Road": a flat in a lettered block of a named estate or on a
# named street; the chain goes on to the street when one follows.
_FLAT_IN_BLOCK = re.compile(r"\b(?=[FfAa])(?:[Ff]lat|[Aa]partment|[Aa]pt\.?)\s+\d{1,4}[A-Za-z]?,?\s+"
                            r"(?:Block|Tower|Wing|Building|Floor)\s+[A-Z\d]{1,2}\b,?\s+"
                            r"(?:[A-Z][A-Za-z'\-]*\s+){1,3}?(?:(?i:" + _STREET_SURE.replace("st|", "") + r")|"
                            + _STREET_CAPITAL + r"|" + _BUILDING[3:-1] + r")\b"
                            r"(?:,?\s+(?:[A-Z][A-Za-z'\-]*\s+){1,3}?(?:(?i:" + _STREET_SURE.replace("st|", "") + r")|"
                            + _STREET_CAPITAL + r")\b)?")


# Any UK address has one shape: a house number, a street's own name in one to three words, then a
# street word. Read by that shape in any case ("9 birchwood close", "112 FOXHOLE LANE"), the next
# street no list holds is still caught. A count, a time or a measure between the figure and the
# street word ("2 weeks in a row", "5 minutes down the road") says how many, not which door.
_STREET_ANY = _STREET_SURE + (r"|dr|close|cl|court|ct|way|gdns|place|pl|tce|walk|row|square|sq|hill|rise|view|"
                              r"vale|green|park|mount|wharf|quay|yard|fields|field|end|side|gate|broadway|parkway|"
                              r"circus|approach|bank")
_ADDRESS_SHAPE = re.compile(_HOUSE +
                            r"((?:[A-Za-z][A-Za-z'’\-]*\.?,?\s+){1,3}?)(?:" + _STREET_ANY + r")\b(?![\-'’]\w)"
                            # ("Forest Gate Road", "Park View Road": a street word can start the name)
                            r"(?:\s+(?:" + _STREET_ANY + r")\b(?![\-'’]\w))?\.?",
                            re.IGNORECASE)
# "room 4 at the travelodge on station road": a room in lodgings on a named street, typed in lower case.
_ROOM_ON_STREET = re.compile(r"\b(?:room|rm)\s+\d{1,4}[a-z]?,?\s+(?:at|in)\s+(?:the\s+)?(?:travelodge|premier\s+inn|"
                             r"hostel|hotel|refuge|b\s?&\s?b|guest\s?house)\s+(?:on|in|off)\s+"
                             r"(?:[a-z'\-]+\s+){1,3}?(?:" + _STREET_ANY + r")\b", re.IGNORECASE)
# Street words that are everyday words too ("2 cousins close by", "3 cars park outside", "2 jobs end
# soon"): after a counted plural typed in lower case they say how many, not which door.
_EVERYDAY_STREET = frozenset("""
close cl end view green park side way walk row rise mount gate place court hill field fields yard square
approach bank
""".split())
_NOT_STREET_NAME = frozenset("""
the a an and or of in on at to for with from by is was are be been were am up down into onto off over
under out round around about across along through past near by behind beside towards toward back far
times time days day weeks week months month years year hours hour hrs hr minutes minute mins min seconds
secs nights night mornings morning evenings evening afternoons weekends weekend terms term sessions
lessons lesson goals goal points point laps lap miles mile metres meters km kg g lb lbs stone pounds
quid pence cans bottles pills tablets cigarettes cigs bags
children child kids kid siblings people staff police team class crew members men man women woman boys boy
girls girl adults adult friends friend pupils pupil students student others lads lad
them us you me him her his their my our your its
this that these those every each other more less than some all both few many most which who what when
i he she it we they there here then so but if not no yes just only also still again very too
year-old yo yrs yr aged age went go goes going walked walk walks ran run runs sat sit came come
got get left stayed stay lives lived live living moved seen was were had has have said says told
while whilst after before since until till during
""".split())
# The figure before may not be an age, a year group, a time or a place in a list ("year 6 went to the
# green", "aged 7", "at 3 she", "2nd in the race").
_NOT_HOUSE_BEFORE = re.compile(r"\b(?:year|yr|y|years|aged|age|class|group|set|room|rm|page|bus|route|ward|"
                                r"level|floor|step|stage|chapter|top|only|just|about|around|over|under|"
                                r"nearly|almost|than|scored|score|times|x|£|lost|gained|the)\s*$",
                                re.IGNORECASE)


def _word_starts(low_text: str, word: str) -> list[int]:
    """Where the word starts a word in the lower-cased note."""
    found = []
    at = low_text.find(word)
    while at >= 0:
        if not at or not low_text[at - 1].isalnum():
            found.append(at)
        at = low_text.find(word, at + len(word))
    return found


def _addresses(text: str) -> list[tuple[int, int]]:
    spans = []
    low = text.lower()
    # (read only where a flat word stands, not along the whole note)
    flat_at = [at for word in ("flat", "apartment", "apt", "unit") for at in _word_starts(low, word)]
    for m in filter(None, (_FLAT_THEN_HOUSE.match(text, at) for at in flat_at)):
        words = [_fold(w) for w in m.group(1).split()]
        if m.group(1).islower() and (m.group(0)[:1] in "Uu" or words[0] in _ENGLISH or words[0].endswith("s")
                                     or len(words) == 1 and not _foreign_word(words[0])):
            continue  # "flat 4, 12 eastway" is a door; "unit 3, 2 pupils" is a count
        if not any(w in _NOT_STREET_WORDS or w in _WEEKDAYS or _MONTH_WORD.fullmatch(w) for w in words):
            spans.append((m.start(), m.end()))
    for m in filter(None, (_FLAT_IN_BLOCK.match(text, at) for at in flat_at)):
        spans.append((m.start(), m.end()))
    for m in _ONE_WORD_STREET.finditer(text):
        if m.group(2).lower() not in _NOT_ONE_WORD_STREET:
            spans.append((m.start(1), m.end(1)))
    for pattern in (_FLAT_IN_BUILDING, _BUILDING_ON_STREET, _LIVES_IN_BUILDING):
        for m in pattern.finditer(text):
            words = m.group(1).split()
            # the street's own words ("Park Street", "Church Lane") may be any place word
            street = m.group(2).split() if pattern is _BUILDING_ON_STREET else []
            if any(w.lower() in _NOT_STREET_WORDS for w in street):
                continue
            # "Flat 3, Church House": a flat number makes even a public-sounding block a home
            flat = re.match(r"(?:flat|apartment|apt|unit)\b", m.group(0), re.IGNORECASE)
            if not any(w.lower() in _NOT_STREET_WORDS or w.lower() in _NOT_NAMES
                       or (not flat and (w.lower() in _NOT_BUILDING or w.lower().endswith("ing"))) for w in words):
                spans.append((m.start(1) if pattern is _LIVES_IN_BUILDING else m.start(), m.end()))
    for m in _NUMBER_AND_NAME_AT.finditer(text):
        words = [_fold(w) for w in m.group(1).split()[1:]]
        # a plural or a trade ("at 2 Sisters Bakery", "at 5 Guys") names a shop, not a door
        if not any(w in _NOT_STREET_WORDS or w in _NOT_NAMES or w in _WEEKDAYS or _MONTH_WORD.fullmatch(w)
                   or w in _STREET_TIME_WORDS or w.endswith("s") and not w.endswith("ss") or w in _TRADE_WORDS
                   or w in _NOT_ONE_WORD_STREET for w in words):
            spans.append((m.start(1), m.end(1)))
    for m in _ROOM_IN_LODGING.finditer(text):
        lodging = re.search(r"Hostel|Hotel|Refuge|Inn|B&B|Travelodge|Guest", m.group(1))
        if lodging or m.end() > m.end(1):
            spans.append((m.start(), m.end()))
    for m in _STREET_NAMED.finditer(text):
        if m.group(1).split()[0].lower() not in _NOT_STREET_WORDS | {"high"} and _DOOR_NEAR.search(
                text[max(0, m.start() - 40):m.end() + 25]):
            spans.append((m.start(1), m.end()))
    for pattern in (_ADDRESS_CAPITAL, _ADDRESS_THE):
        for m in pattern.finditer(text):
            words = (m.group(1) or "").split()
            # "Old Mill Yard", "Old Forge Mews": "old" with a capital starts a street's name ("10 year old st" not)
            if pattern is not _ADDRESS_THE and any(w.lower() in _NOT_STREET_WORDS and w != "Old" for w in words):
                continue
            spans.append((m.start(), m.end()))
    if "room" in low or "rm " in low:
        spans += [(m.start(), m.end()) for m in _ROOM_ON_STREET.finditer(text)]
    # (this reading by shape replaced the round 1-9 list of lower-case street words and its guards)
    for m in _ADDRESS_SHAPE.finditer(text):
        words = [_fold(w.strip(".,")) for w in m.group(1).split()]
        if any(w in _NOT_STREET_NAME or w in _WEEKDAYS or _MONTH_WORD.fullmatch(w) for w in words):
            continue
        if _NOT_HOUSE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        typed = m.group(1).split()
        if m.group(0).split()[-1].lower().rstrip(".") in _EVERYDAY_STREET and any(
                w.islower() and w.endswith("s") and not w.endswith(("ss", "'s", "’s"))
                and (i == 0 or typed[i - 1].lower().rstrip(".") not in ("st", "saint"))
                for i, w in enumerate(typed)):
            continue
        spans.append((m.start(), m.end()))
    return spans


# A charity, a hospice or an award named after someone ("the Lucy Faithfull Foundation", "the Jack
# Petchey award"): a service the family is pointed to, not the child.
_CHARITY_AFTER = re.compile(r"\s+(?:Foundation|Trust|Fund|Hospice|Centre|Center|Institute|Memorial|Charity|Appeal|"
                            r"Academy|School|College|House|(?i:award|awards|prize|foundation|hospice|fund))\b")
_CHARITY_WORD = frozenset("foundation trust fund hospice institute memorial charity appeal award awards prize".split())
# Stories, rhymes, films and famous people a child talks about ("Jack and the Beanstalk", "the Harry
# Potter book club", "Andrew Tate videos"): a character or a celebrity, not the child. Only names no
# family gives a child in full; "Matilda" or "Ben and Holly" alone could be the child.
_STORY_OR_FAMOUS = re.compile(
    r"\b(?:jack\s+and\s+the\s+beanstalk|jack\s+and\s+jill|hansel\s+and\s+gretel|goldilocks|humpty\s+dumpty|"
    r"little\s+bo[\s\-]peep|little\s+boy\s+blue|little\s+miss\s+muffet|little\s+jack\s+horner|jack\s+sprat|"
    r"georgie\s+porgie|old\s+king\s+cole|mary,?\s+mary,?\s+quite|mary\s+had\s+a\s+little\s+lamb|lucy\s+locket|"
    r"wee\s+willie\s+winkie|simple\s+simon|doctor\s+foster\s+went|tom\s+thumb|peter\s+piper|peter\s+pan|"
    r"peter\s+rabbit|harry\s+potter|hermione\s+granger|ron\s+weasley|tracy\s+beaker|horrid\s+henry|"
    r"winnie[\s\-]the[\s\-]pooh|christopher\s+robin|oliver\s+twist|alice\s+in\s+wonderland|willy\s+wonka|"
    r"charlie\s+and\s+the\s+chocolate\s+factory|james\s+and\s+the\s+giant\s+peach|fantastic\s+mr\.?\s+fox|"
    r"postman\s+pat|fireman\s+sam|bob\s+the\s+builder|thomas\s+the\s+tank|peppa\s+pig|george\s+pig|"
    r"elsa\s+and\s+anna|anna\s+and\s+elsa|paw\s+patrol|spider[\s\-]?man|batman|superman|shrek|moana|"
    r"sonic\s+the\s+hedgehog|super\s+mario|mario\s+and\s+luigi|pikachu|barbie|hey\s+duggee|mr\.?\s+tumble|"
    r"bluey|cocomelon|spongebob|mary\s+poppins|mr\.?\s+blobby|mr\.?\s+bean|paddington\s+bear|"
    r"snow\s+white|sleeping\s+beauty|cinderella|rapunzel|rumpelstiltskin|pinocchio|robin\s+hood|jack\s+frost|"
    r"father\s+christmas|david\s+and\s+goliath|jonah\s+and\s+the\s+whale|romeo\s+and\s+juliet|anne\s+frank|"
    r"percy\s+jackson|tom\s+gates|greg\s+heffley|mamma\s+mia|mama\s+mia|dora\s+the\s+explorer|katie\s+morag|"
    r"biff,?\s+chip\s+and\s+kipper|andrew\s+tate|tristan\s+tate|taylor\s+swift|harry\s+styles|ed\s+sheeran|"
    r"billie\s+eilish|marcus\s+rashford|harry\s+kane|jude\s+bellingham|bukayo\s+saka|cristiano\s+ronaldo|"
    r"lionel\s+messi|kim\s+kardashian|jimmy\s+savile|logan\s+paul|jake\s+paul|greta\s+thunberg|"
    r"king\s+charles|prince\s+harry|prince\s+william|martin\s+luther\s+king|nelson\s+mandela|rosa\s+parks|"
    r"mary\s+seacole|florence\s+nightingale|stephen\s+lawrence|malala\s+yousafzai|mr\.?\s+men|little\s+miss|"
    r"jamie\s+oliver|miss\s+trunchbull|trunchbull|miss\s+honey|miss\s+hannigan|mrs?\.?\s+twit|voldemort|"
    r"cruella|"
    r"dumbledore|hagrid|gruffalo)\b", re.IGNORECASE)


# The words of those names, so that only a name that could be one of them is looked at again.
_STORY_WORDS = frozenset(re.findall(r"[a-z]{3,}", _STORY_OR_FAMOUS.pattern)) - {"and", "the", "had", "quite", "went"}


_BESIDE = re.compile(r"\s*(?:,|and|&|or|,\s*and|,\s*or)\s*")
_BESIDE_BEFORE = re.compile(r"(?:,|\band|&|\bor)\s*$")
_BESIDE_AFTER = re.compile(r"\s*(?:,|and\b|&|or\b)")


def _beside_story(text: str, start: int, end: int) -> bool:
    """True when a found name is listed with a story or cartoon character ("Peppa Pig and Elsa")."""
    if not (_BESIDE_BEFORE.search(text, max(0, start - 6), start) or _BESIDE_AFTER.match(text, end)):
        return False
    if not any(_fold(w) in _STORY_WORDS for w in _TOKEN.findall(text, max(0, start - 30), min(len(text), end + 30))):
        return False
    for m in _STORY_OR_FAMOUS.finditer(text, max(0, start - 40), min(len(text), end + 40)):
        if (m.end() <= start and _BESIDE.fullmatch(text, m.end(), start)
                or m.start() >= end and _BESIDE.fullmatch(text, end, m.start())):
            return True
    return False


def _story_around(text: str, start: int, end: int) -> bool:
    """True when a found name is part of a story's, a rhyme's or a famous person's name."""
    if not any(_fold(w) in _STORY_WORDS for w in text[start:end].split()):
        return False
    lo = max(0, start - 30)
    return any(m.start() < end and start < m.end() for m in _STORY_OR_FAMOUS.finditer(text, lo, end + 40))


# A name before what a story or a star comes in ("the Peter Rabbit books", "the Matilda musical");
# the fan words only after a full name ("Taylor Swift concert": "she sends Ruby videos" names Ruby).
# "books", "films" and "rhymes" are also what a person does ("Kayden films the fights"): a title only
# after "the", "a" or "his" ("the Peter Rabbit books").
_STORY_NOUN_AFTER = re.compile(r"\s+(?:(book|film|movies?|stor(?:y|ies)|novels?|series|musical|cartoons?|rhyme|"
                               r"costumes?|fancy\s+dress|audiobooks?)|books|films|rhymes)\b", re.IGNORECASE)
_FAN_NOUN_AFTER = re.compile(r"\s+(?:club|concerts?|tour|posters?|songs|music|tickets?|merch|podcasts?|memes?)\b",
                             re.IGNORECASE)
# Laws and schemes named after people who died (Clare's Law, Sarah's Law): a topic, not the child.
_LAW_NAMED = re.compile(r"[^\W\d_]+['’]s\s+(?:Law|law|Scheme|scheme)\b")


# In a note typed all in capitals no capital marks a name, so a word found there must be on a name list
# ("AWOL", "TA" are not), and what it is part of is read in any case ("READ MATILDA", "LUCY FAITHFULL
# FOUNDATION", "RUSSELL GROUP", "NEW YEAR'S EVE", "LILY ROAD").
_TITLE_BEFORE_ANY_CASE = re.compile(_TITLE_BEFORE.pattern, re.IGNORECASE)
_LAW_NAMED_ANY_CASE = re.compile(_LAW_NAMED.pattern, re.IGNORECASE)
_CHARITY_AFTER_ANY_CASE = re.compile(r"(?:\s+[^\W\d_]+)?" + _CHARITY_AFTER.pattern, re.IGNORECASE)
_THING_AFTER_ANY_CASE = re.compile(r"\s+(?:" + _BODY_AFTER.pattern + r"|" + _PLACE_NOUN.pattern + r")\b", re.IGNORECASE)


# A place, a room, a class or a group named after someone, a tree, a virtue or a saint ("the Queen
# Elizabeth Hospital", "Rowan class", "the Florence Nightingale ward", "Rose Garden Nursery", "the Hope
# and Joy stay and play group"): where the child was, which many children share, not who the child is.
# Nouns no one is named: after any name, in any case.
# A third name and a kind of ward may come between ("Elizabeth Garrett Anderson unit", "the Jenny Lind
# children's ward").
_PLACE_GAP = r"[^\W\d_]*(?:\s+[A-Z][^\W\d_'’\-]+)?(?:\s+(?i:children['’]?s|maternity|neonatal|paediatric|baby))?"
_INSTITUTION_AFTER = re.compile(_PLACE_GAP + r"\s+(?i:hospital|infirmary|class|nursery|surgery|clinic|hospice|"
                                r"playgroup|"
                                r"pre-?school|library|academy|primary|college)\b")
_SPACES = re.compile(r"\s*")
# Capitalised place nouns that are nobody's surname, after any name.
_PLACE_NOUN_CAPITAL = re.compile(_PLACE_GAP + r"\s+(?:Room|Unit|Centre|Center|Estate|Road|Street|Avenue|Drive|Line|"
                                 r"Crescent|Terrace|Gardens|Suite|Campus|Building|Group|Club)\b")
# Nouns that are also surnames ("Tom Ward", "Jo Lane", "Ben House"): after a full name, or in lower case.
_PLACE_AFTER_FULL_NAME = re.compile(_PLACE_GAP + r"\s+(?:(?i:ward|wards|house|room|unit|centre|center|school|group|"
                                    r"court|"
                                    r"estate|road|street|avenue|lane|drive|hall|wing|block|lodge|building|suite|"
                                    r"campus|practice|club))\b")
# What goes on after a place: lower-case words about it, not what a person does or a list of details.
_PLACE_GOES_ON_AFTER = re.compile(r"\s+(?!(?:says|said|is|was|has|had|told|tells|keeps|kept|lives|wants|and|who|"
                                  r"disclosed|came|went|refuses|refused|rang)\b)[a-z]")
_PLACE_AFTER_LOWER = re.compile(_PLACE_GAP + r"\s+(?:ward|wards|unit|centre|center|room|wing|suite)\b")
# After "the" and a run of capitalised words, up to three lower-case words before the noun ("the Hope
# and Joy stay and play group"); not "the Ahmed children's class", which is about a family.
_THE_CAPITALS_BEFORE = re.compile(r"\b[Tt]he\s+(?:(?:[A-Z][^\W\d_'’\-]*|and|&|of)\s+)*$")
_PLACE_AFTER_THE = re.compile(r"[^\W\d_]*(?:\s+(?:and\s+|&\s+|of\s+)?[A-Z][^\W\d_'’\-]*)*"
                              r"(?:\s+(?!(?:" + _PEOPLE + r"|boys|girls|kids|children|family|twins|lads|brothers|"
                              r"sisters|from|at|in|on|near|by|with|to)\b)[a-z][a-z\-]*){0,3}?\s+"
                              r"(?i:hospital|infirmary|ward|wards|class|nursery|"
                              r"surgery|clinic|hospice|playgroup|pre-?school|library|academy|school|college|centre|"
                              r"center|unit|room|group|club|court|estate|road|street|suite|wing|lodge|review|inquiry|"
                              r"enquiry|inquest)\b")
# Trees, birds, flowers and stars that schools and wards name classes after, and that are also given names.
_NATURE_NAMES = frozenset("rowan aspen juniper laurel cedar heather lily daisy jasmine robin wren luna star river "
                          "ocean sky skye autumn summer poppy iris ivy hazel willow holly ash maple rainbow".split())
_SAINT_BEFORE = re.compile(r"\b(?:St\.?|Saint)\s+$")
_INSTITUTION_WORD = re.compile(r"hospital|infirmary|hospice|nursery|surgery|clinic|academy|college|library|class|line|"
                                r"room|unit|centre|center|playgroup|school|primary|estate|street|road|avenue")
# Nouns that are also surnames, last in a found name: a place after a tree or a virtue ("Willow Ward staff").
_SURNAME_PLACE_WORD = re.compile(r"ward|house|court|hall|lodge")
_CHARACTER_FROM = re.compile(r"\b(?:like|as)\s+(?:Miss|Mr|Mrs|Ms|Dr)\.?\s+[^\W\d_]+\s+(?:from|in)\s+$")
# A public inquiry or review named after a child who died ("the Victoria Climbié inquiry", "the
# Daniel Pelka review"): what practice learned, not this child.
_INQUIRY_AFTER = re.compile(r"[^\W\d_]*\s+(?i:inquiry|enquiry|inquest|trial|vigil|murder|review|"
                            r"serious\s+case\s+review|"
                            r"practice\s+review)\b")
# A story character a child compares someone to ("his mum is like Miss Trunchbull"): a title before a
# word no list holds.
_LIKE_BEFORE = re.compile(r"\b(?:like|as)\s+$", re.IGNORECASE)
_TITLE_WORDS = frozenset("mr mrs ms miss dr sir".split())


# Classes, houses and homes named after trees, with the noun after in any case ("Heather house", "Holly
# Lodge Pupil Referral Unit"), or with no noun where the sentence speaks of classes ("she is in Oak class
# and her brother is in Willow").
_NATURE_PLACE_AFTER = re.compile(r"(?:\s*(?:,|and|&)\s*[A-Z][a-z]+)*(?:\s+[A-Z][^\W\d_'’\-]+)?\s+(?i:houses?|lodge|"
                                 r"court|hall|cottage|wards?|class|classes|groups?|rooms?|units?|teams?|forms?|block|"
                                 r"wing|building|centre|center|base|hub|home)\b")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
_GIVEN_BEFORE = re.compile(r"\b[A-Z][a-z]+\s+$")
_IN_CLASS_BEFORE = re.compile(r"\b(?:in|into|from|to|joined|joins|join)\s+$", re.IGNORECASE)
_CLASS_TALK = re.compile(r"\b(?:class|classes|house|houses|form|forms|ward|wards|group|groups|set)\b", re.IGNORECASE)
_CLAUSE_END_AFTER = re.compile(r"\s*(?:[.,;:!?)]|$|\s+(?:and|but|class|now|this|last|next|since|after|before|"
                               r"because|with|where)\b)")
# A school, hospital or ward named after a king or queen ("King George's Academy", "King Edward VI
# School", "Queen Mary's Hospital"): a royal title, then a possessive, a numeral or the place's name.
_ROYAL_BEFORE = re.compile(r"\b(?:King|Queen|Prince|Princess|Duke|Duchess|Lady)\s+$")
_ROYAL_PLACE_AFTER = re.compile(r"(?:['’]s)?(?:\s+(?:[IVX]{1,4}|the\s+[A-Z][a-z]+))?(?:['’]s)?\s+(?:[A-Z][a-z]|"
                                r"(?i:school|academy|primary|college|hospital|ward|road|street|park|centre|court|"
                                r"estate|house|field|fields|grammar|high)\b)")


_TREE_LIST = re.compile(r"\b(?:called|named|are|were|:)\s+([A-Z][a-z]+(?:\s*(?:,|and|&)\s*[A-Z][a-z]+)+)")


# A condition named after the doctor who described it ("Munchausen's by proxy", "Asperger's",
# "Kawasaki disease") says what the child lives with, which thousands share, not who the child is.
_EPONYM_CONDITIONS = frozenset("""munchausen munchausens asperger aspergers down downs tourette tourettes kawasaki
crohn crohns parkinson parkinsons alzheimer alzheimers hodgkin hodgkins
cushings perthes duchenne marfan marfans ehlers danlos rett retts angelman hirschsprung
hirschsprungs raynaud raynauds sjogren meniere guillain barre klinefelter stills lyme osgood schlatter prader willi
kawasakis wilms tay sachs""".split())
# (surnames many families carry name a condition only with the word for it: "Turner syndrome", "Bell's palsy")
_EPONYM_SURNAMES = frozenset("turner turners bell bells graves noonan ewing ewings williams addison cushing "
                             "huntington".split())
_CONDITION_AFTER = re.compile(r"(?:['’]s?(?![\w'’])|\s+(?:disease|syndrome|palsy|lymphoma|sarcoma|tumou?r|"
                              r"dystrophy|disorder|ataxia|by\s+proxy)\b)", re.IGNORECASE)
_CONDITION_WORD_AFTER = re.compile(r"(?:['’]s?)?\s+(?:disease|syndrome|palsy|lymphoma|sarcoma)\b", re.IGNORECASE)
# "Patience has worn thin", "Hope is fading", "Grace under pressure": a virtue as the subject of an
# idiom, not a woman of that name.
_IDIOM_VIRTUES = _VIRTUES | frozenset("honour honor prudence liberty".split())
_VIRTUE_IDIOM = re.compile(r"\s+(?:(?:is|was|has|had|seems?|are)\s+(?:been\s+|now\s+|really\s+|very\s+|all\s+)?)?"
                           r"(?:worn|wearing|running\s+(?:out|low|thin)|fading|faded|gone\s+out|low|thin|"
                           r"in\s+short\s+supply|a\s+virtue|dwindling|(?:extended|shown|offered|given)\s+(?:to|by)\b|"
                           r"sapped|"
                           r"tested|exhausted|under\s+pressure|"
                           r"(?:lost\s+)?in\s+(?:the|us|them|services?|staff|school|police|professionals|agencies)\b)")
# "the Elizabeth line", "Victoria line": a transport line named after a queen, not a child.
_TRANSPORT_LINE_AFTER = re.compile(r"\s+line(?!\s+manag)\b")


def _place_named_after(text: str, start: int, end: int) -> bool:
    """True when a found name names a place, class, group or inquiry, or a story character."""
    words = text[start:end].split()
    full = len(words) > 1
    first = _fold(words[0])
    last = _fold(words[-1])
    if last in _EPONYM_CONDITIONS and _CONDITION_AFTER.match(text, end):
        return True
    if last in _EPONYM_SURNAMES and _CONDITION_WORD_AFTER.match(text, end):
        return True
    if not full and first in _IDIOM_VIRTUES and _VIRTUE_IDIOM.match(text, end):
        return True
    if words[-1][:1].isupper() and _TRANSPORT_LINE_AFTER.match(text, end):
        return True
    if (not full and first.endswith("s") and first[:-1] in _TREES_AND_PLANTS
            and re.search(r"\b[Tt]he\s+$", text[max(0, start - 4):start])):
        return True  # "The Willows children's home", "the Laurels": a house named after its trees
    if first in _TREES_AND_PLANTS or first in _NATURE_NAMES:
        if not full and _NATURE_PLACE_AFTER.match(text, end):
            return True  # "Heather house at the school", "Willow and Hazel classes"
        if (full and _SURNAME_PLACE_WORD.fullmatch(words[-1].lower())
                and (re.match(r"\s+[A-Z]", text[end:end + 2]) or _PLACE_GOES_ON_AFTER.match(text, end))
                and not _GIVEN_BEFORE.search(text, max(0, start - 20), start)):
            return True  # "Holly Lodge Pupil Referral Unit" ("Holly Hall said" is a girl)
        if (not full and _IN_CLASS_BEFORE.search(text, max(0, start - 8), start)
                and _CLAUSE_END_AFTER.match(text, end)
                and (_CLASS_TALK.search(text) or any(m.start() != start and _fold(m.group(0)) in _TREES_AND_PLANTS
                                                     for m in _CAPITALISED.finditer(text)))):
            return True  # "her brother is in Willow" beside "in Oak class"; "moved from Sycamore to Hazel"
        if not full and _CLASS_TALK.search(text):
            # "the classes are called Hawthorn, Rowan and Elm ... a child in Rowan": a list of trees the
            # classes are named after, and a class from it ("Holly and Rowan were fighting" stays two girls)
            for run in _TREE_LIST.finditer(text):
                trees = [_fold(w) for w in re.findall(r"[A-Z][a-z]+", run.group(1))]
                if (sum(t in _TREES_AND_PLANTS for t in trees) >= 2 and first in trees
                        and (run.start(1) <= start < run.end(1)
                             or _IN_CLASS_BEFORE.search(text, max(0, start - 8), start))):
                    return True
    if _ROYAL_BEFORE.search(text, max(0, start - 9), start) and _ROYAL_PLACE_AFTER.match(text, end):
        return True  # "King George's Academy": the school, not a child
    if full and _INSTITUTION_WORD.fullmatch(words[-1].lower()) or _CHARACTER_FROM.search(text, max(0, start - 40),
                                                                                          start):
        return True  # "the Royal Victoria Infirmary"; "like Miss Hannigan from Annie": the story
    if (full and _SURNAME_PLACE_WORD.fullmatch(words[-1].lower()) and _PLACE_GOES_ON_AFTER.match(text, end)
            and (_fold(words[0]) in _AMBIGUOUS or _fold(words[0]) in _NATURE_NAMES)):
        return True  # "Willow Ward staff rang" ("Precious Ward said" is a girl)
    if _SAINT_BEFORE.search(text, max(0, start - 7), start):
        return True  # "St Thomas' said": a hospital, a church or a school
    # a capitalised noun names the place ("Rowan Class"); a lower-case one may be the child's own, typed
    # without "'s" ("Amir class teacher says"), so then only a tree, a virtue or a famous full name
    named_so = (_fold(words[-1]) not in _SURNAMES if full else
                _fold(words[0]) in _AMBIGUOUS or _fold(words[0]) in _NATURE_NAMES or not _given(words[0]))
    inst = _INSTITUTION_AFTER.match(text, end)
    if inst and (not inst.group(0).split()[-1].islower() or named_so):
        return True
    noun = _PLACE_NOUN_CAPITAL.match(text, end)
    if noun and not _PERSON_BRACKET.match(text, _SPACES.match(text, noun.end()).end()):
        return True  # "Oliver Street surgery", "Henry Moore Room" ("Leon Street (dad)" is a man)
    place = _PLACE_AFTER_FULL_NAME.match(text, end) if full else None
    if place and (place.group(0).split()[-1].islower() and named_so or _PLACE_GOES_ON_AFTER.match(text, place.end())):
        return True  # "Grace Darling House staff"; "Amelia Rose Ward, NHS ..." and "Amy Jo Hall said" are people
    if named_so and _PLACE_AFTER_LOWER.match(text, end):
        return True
    the_before = _THE_CAPITALS_BEFORE.search(text, max(0, start - 40), start)
    if the_before and _PLACE_AFTER_THE.match(text, end):
        return True
    inquiry = _INQUIRY_AFTER.match(text, end) if full else None
    if inquiry and (the_before or not inquiry.group(0).lower().endswith("review")):
        return True  # "Jayden Smith review" alone may be the child's own care review
    if (full and words[0].rstrip(".").lower() in _TITLE_WORDS and _LIKE_BEFORE.search(text, max(0, start - 8), start)
            and _fold(words[-1]) not in _SURNAMES and not _given(words[-1])):
        return True
    return False


def _shouted_not_a_name(lowered: str, start: int, end: int) -> bool:
    """True when a word found in a note typed in capitals is no name on a list, or part of a title."""
    words = [_fold(w) for w in lowered[start:end].split()]
    if not any(w in _GIVEN_NAMES or w in _SURNAMES for w in words):
        return True
    return bool(_TITLE_BEFORE_ANY_CASE.search(lowered, max(0, start - 40), start)
                or _LAW_NAMED_ANY_CASE.match(lowered, start) or _CHARITY_AFTER_ANY_CASE.match(lowered, end)
                or _THING_AFTER_ANY_CASE.match(lowered, end)
                or re.search(r"(?:year's|christmas)\s+$", lowered[max(0, start - 10):start]))


# Hospitals every practitioner knows by name alone ("Alder Hey said", "referred to Great Ormond Street"):
# where children are treated, which many share, not who the child is or where they sleep.
_KNOWN_PLACES = re.compile(r"\b(?:Alder\s+Hey|Great\s+Ormond\s+Street|Evelina|Addenbrooke['’]?s|Jimmy['’]s|"
                           r"Sheffield\s+Children['’]s|Birmingham\s+Children['’]s|Bristol\s+Royal|"
                           r"Royal\s+Manchester\s+Children['’]s|Ronald\s+McDonald\s+House|"
                           # landmarks a child talks about: everyone's, no one's home or name
                           r"Big\s+Ben|the\s+Shard|Tower\s+Bridge|London\s+Eye|Buckingham\s+Palace|"
                           r"Blackpool\s+Tower|Angel\s+of\s+the\s+North|Windsor\s+Castle|Edinburgh\s+Castle|"
                           r"Stonehenge|Eiffel\s+Tower|Statue\s+of\s+Liberty)\b", re.IGNORECASE)
_KNOWN_PLACE_KEYS = ("alder", "ormond", "evelina", "addenbrooke", "jimmy", "sheffield", "birmingham", "manchester",
                     "bristol", "mcdonald", "big ben", "shard", "tower bridge", "london eye", "buckingham", "blackpool",
                     "angel of", "castle", "stonehenge", "eiffel", "liberty")


# Nationalities, peoples and languages, said of a child ("The lad is Albanian", "the boy, Afghan, 15,"):
# many children share them; they are for the reader to weigh, not a name to edit out.
_NATIONALITIES = frozenset("""
albanian afghan afghani romanian bulgarian polish lithuanian latvian estonian slovak slovakian czech hungarian
ukrainian russian moldovan kosovan kosovar serbian croatian bosnian macedonian greek turkish kurdish iranian
iraqi syrian lebanese palestinian jordanian egyptian libyan moroccan algerian tunisian yemeni saudi eritrean
ethiopian sudanese somali somalian nigerian ghanaian gambian congolese zimbabwean kenyan ugandan
rwandan burundian cameroonian angolan malawian zambian tanzanian vietnamese chinese filipino filipina indian
pakistani bangladeshi nepali nepalese tamil sinhalese scottish irish british portuguese spanish
italian german dutch brazilian colombian venezuelan jamaican trinidadian barbadian romani gypsy
tigrinya amharic oromo pashto dari farsi persian urdu punjabi bengali bangla sylheti gujarati hindi lingala twi
yoruba igbo hausa swahili shona ndebele arabic mandarin cantonese hakka malay thai
""".split())
# A character said to be from a film, show or game every child knows, or from "the film" itself.
_FROM_A_STORY = re.compile(r"\s+(?:from|off|out\s+of)\s+(?:(?:the|a)\s+(?:film|movie|show|cartoon|game|book|"
                           r"series|programme|story)\b|(?:Frozen|Moana|Encanto|Toy\s+Story|Paw\s+Patrol|Bluey|"
                           r"Peppa\s+Pig|Shrek|Coco|Minecraft|Fortnite|Roblox|Pok[eé]mon|Stranger\s+Things|"
                           r"Harry\s+Potter|Star\s+Wars|Marvel|Disney|Sesame\s+Street|Trolls|Wish|Inside\s+Out|"
                           r"Lilo\s+(?:and|&)\s+Stitch|Aladdin|Cinderella|Tangled|Zootropolis|Zootopia|Minions|"
                           r"Despicable\s+Me|Squid\s+Game|EastEnders|Coronation\s+Street|Emmerdale|Hollyoaks|"
                           r"Love\s+Island|Hey\s+Duggee|Ben\s+(?:and|&)\s+Holly|Power\s+Rangers|Sonic|Mario|"
                           r"Spongebob|The\s+Simpsons|Family\s+Guy|Gravity\s+Falls|Wednesday|Barbie|Monsters\s+Inc|"
                           r"Cars|Luca|Turning\s+Red|Elemental|Mulan|Frozen\s+2|Matilda|Annie|Wicked|Grease)\b)")


def find(text: str) -> list[Finding]:
    """Likely identifiers in the text, in order (an empty list for an anonymised note)."""
    return list(_find(text))


# A Send turn asks about the same fields several times (is a warning due, what to show, what the
# record notes); a long note takes a few milliseconds to read, so each text is read once.
@lru_cache(maxsize=64)
def _find(text: str) -> tuple[Finding, ...]:
    raw: list[tuple[str, int, int]] = []
    raw += _numbers(text)
    raw += _dates(text)
    taken = [(s, e) for _, s, e in raw]
    raw += [("address", s, e) for s, e in _addresses(text)]
    # A note typed in capitals ("ANJALI MEHTA ATTENDED A&E") is read as typed in lower case, where
    # the given-name lists and the words around a name still say who it is about.
    shouted = not any(c.islower() for c in text) and sum(c.isupper() for c in text) >= 8
    lowered = text.lower() if shouted else text
    if len(lowered) != len(text):
        lowered = text
    # a name read by its slot ("MS NWACHUKWU DID NOT ATTEND") needs no list, in capitals or not
    slotted = _slot_names(lowered) if lowered is not text else []
    for s, e in _names(lowered):
        if (lowered is not text and not any(s <= ss and se <= e for ss, se in slotted)
                and _shouted_not_a_name(lowered, s, e)):
            continue
        word = text[s:e]
        if word.endswith(("'s", "’s")) and e - s > 3:
            e -= 2  # the name, not its possessive: "abdi" of "abdi's mother"
        while e > s + 1 and text[e - 1] in "'’-":
            e -= 1  # "'Ruby'" shows as Ruby
        if not word.endswith(("'s", "’s")) and (_TITLE_BEFORE.search(text, max(0, s - 40), s)
                                                 or _TITLE_AFTER.match(text, e) or _THING_AFTER.match(text, e)):
            continue  # "we read Matilda in class", "Amazing Grace is the song": a title
        if _LAW_NAMED.match(text, s):
            continue
        if _fold(text[s:e]) in _NATIONALITIES:
            continue  # "Albanian, 16, found at a car wash": where a young person is from, which many share
        if _FROM_A_STORY.match(text, e):
            continue  # "drawing Elsa from Frozen", "Sully off Monsters Inc": a character, not the child
        story = _STORY_NOUN_AFTER.match(text, e)
        if (story and (story.group(1) or _DETERMINER_BEFORE.search(text, max(0, s - 8), s))
                or " " in text[s:e].strip() and _FAN_NOUN_AFTER.match(text, e) or _story_around(text, s, e)
                or _beside_story(text, s, e)):
            continue  # "Jack and the Beanstalk", "the Harry Potter book club": a story, not the child
        if _CHARITY_AFTER.match(text, e) or _fold(text[s:e].split()[-1]) in _CHARITY_WORD:
            continue  # "Clare's Law", "Sarah's Law": a scheme named after someone, not this child
        if _place_named_after(text, s, e):
            continue
        surname = _NEXT_WORD.match(text, e) if text[s:e].islower() else None
        if surname and _fold(surname.group(1)) in _SURNAMES and _fold(surname.group(1)) not in _SURNAME_WORDS:
            e = surname.end()  # "kacey-leigh morris": the whole name shown, so the whole name is edited out
        if not any(ts <= s < te for ts, te in taken):
            raw.append(("name", s, e))
    low = text.lower()
    known = ([(m.start(), m.end()) for m in _KNOWN_PLACES.finditer(text)]
             if any(k in low for k in _KNOWN_PLACE_KEYS) else [])
    if known:
        raw = [r for r in raw if r[0] not in ("name", "address") or not any(s <= r[1] and r[2] <= e for s, e in known)]
    raw.sort(key=lambda r: (r[1], -(r[2] - r[1])))
    out: list[Finding] = []
    for kind, s, e in raw:
        if out and s < out[-1].end and kind == out[-1].kind:
            # the same name found twice ("mum Sarah" and "Sarah"), or one address found in parts
            # ("4B Fennimore House" and "Fennimore House, Cobden Street"): shown whole, once
            if e > out[-1].end:
                out[-1] = Finding(kind, out[-1].start, e, text[out[-1].start:e])
            continue
        if out and s >= out[-1].start and e <= out[-1].end and kind == "name" and out[-1].kind == "address":
            continue  # "Victoria" in "22 Victoria Avenue" is the street
        if (kind == "date" and out and out[-1].kind in ("name", "nhs", "upn") and _YEAR_AT_END.search(text, s, e)
                and _RECORD_GAP.fullmatch(text, out[-1].end, s)):
            kind = "dob"  # "Skye Tomlinson 6/6/2016", "Oscar Fielding, 4406326154, 23/09/2019": a record's heading
        out.append(Finding(kind, s, e, text[s:e]))
    return tuple(out)


# A full date right after a child's name or number, as a record's heading gives the date of birth.
_YEAR_AT_END = re.compile(r"(?:19|20)\d\d$|[/.\-]\d\d$")
_RECORD_GAP = re.compile(r"[\s,;/|:\-–]*")


def describe(findings: list[Finding], limit: int = 4) -> str:
    """'"Jane Smith" (a name), "01/02/2015" (a date of birth)' for the practitioner to check."""
    parts = [f'"{f.text}" ({KIND_LABELS[f.kind]})' for f in findings[:limit]]
    if len(findings) > limit:
        parts.append(f"and {len(findings) - limit} more")
    return ", ".join(parts)
